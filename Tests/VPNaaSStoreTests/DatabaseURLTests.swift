import Testing
import VPNaaSStore

/// `--database` / `VPNAAS_DATABASE` parsing: every accepted form, every refusal, and no password in the text.
@Suite struct DatabaseURLTests {
    @Test func sqlitePath() throws {
        #expect(try DatabaseURL(parsing: "sqlite:///var/lib/vpnaas/vpnaas.sqlite") == .sqlite(path: "/var/lib/vpnaas/vpnaas.sqlite"))
        #expect(try DatabaseURL(parsing: "sqlite:///tmp/a%20b.sqlite") == .sqlite(path: "/tmp/a b.sqlite"))
    }

    @Test func postgresOverTCP() throws {
        let url = try DatabaseURL(parsing: "postgresql://vpn:s%40cret@db.example:6543/vpnaas")
        #expect(url == .postgres(.init(user: "vpn", password: "s@cret", host: "db.example", port: 6543, database: "vpnaas")))
        #expect(try DatabaseURL(parsing: "postgres://vpn@127.0.0.1/vpnaas")
            == .postgres(.init(user: "vpn", host: "127.0.0.1", port: 5432, database: "vpnaas")))
        #expect(try DatabaseURL(parsing: "postgresql://vpn@[::1]:5433/vpnaas")
            == .postgres(.init(user: "vpn", host: "::1", port: 5433, database: "vpnaas")))
    }

    @Test func postgresOverUnixSocket() throws {
        let url = try DatabaseURL(parsing: "postgresql://postgres@/postgres?host=/tmp/pg1")
        guard case .postgres(let p) = url else {
            Issue.record("not postgres")
            return
        }
        #expect(p == .init(user: "postgres", socketDirectory: "/tmp/pg1", database: "postgres"))
        #expect(p.socketPath == "/tmp/pg1/.s.PGSQL.5432")
        #expect(try DatabaseURL(parsing: "postgresql://u@/d?host=/run/pg&port=5999") == .postgres(.init(user: "u", port: 5999, socketDirectory: "/run/pg", database: "d")))
    }

    @Test func descriptionNeverShowsThePassword() throws {
        let url = try DatabaseURL(parsing: "postgresql://vpn:hunter2@db:5432/vpnaas")
        #expect(url.description == "postgresql://vpn:***@db:5432/vpnaas")
        #expect(!"\(url)".contains("hunter2"))
        #expect(try DatabaseURL(parsing: "postgresql://u@/d?host=/s").description == "postgresql://u@/d?host=/s")
    }

    @Test(arguments: [
        "", "mysql://u@h/d", "sqlite://relative.sqlite", "sqlite:///", "postgresql://h/d", "postgresql://u@h",
        "postgresql://u@h/", "postgresql://@h/d", "postgresql://u@h:0/d", "postgresql://u@h:99999/d", "postgresql://u@h:x/d",
        "postgresql://u@/d", "postgresql://u@/d?host=relative", "postgresql://u@h/d?host=/s", "postgresql://u@h/d?sslmode=require",
        "postgresql://u:%zz@h/d", "postgresql://u@[::1/d",
    ])
    func refusals(text: String) {
        #expect(throws: DatabaseURL.ParseError.self) { try DatabaseURL(parsing: text) }
    }

    @Test func refusalsDoNotEchoThePassword() {
        do {
            _ = try DatabaseURL(parsing: "postgresql://u:hunter2@h:99999/d")
            Issue.record("accepted a bad port")
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
    }
}
