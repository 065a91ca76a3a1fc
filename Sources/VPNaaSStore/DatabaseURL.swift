/// Where the store lives, from `--database` / `VPNAAS_DATABASE` / config key `database`:
/// `sqlite:///abs/path`, `postgresql://USER[:PASS]@HOST[:PORT]/DB`, or `postgresql://USER@/DB?host=/socket/dir`
/// (`postgres://` is accepted too). Parsing is pure so every form and every refusal is unit-tested; the password
/// is kept out of `description` so the URL can be logged.
package enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(Postgres)

    /// A PostgreSQL server reached over TCP (`host`) or over the unix socket in `socketDirectory`.
    package struct Postgres: Sendable, Equatable {
        package var user: String
        package var password: String?
        package var host: String?
        package var port: Int
        package var socketDirectory: String?
        package var database: String

        package init(
            user: String, password: String? = nil, host: String? = nil, port: Int = 5432, socketDirectory: String? = nil,
            database: String
        ) {
            self.user = user
            self.password = password
            self.host = host
            self.port = port
            self.socketDirectory = socketDirectory
            self.database = database
        }

        /// The socket file libpq would use: `<dir>/.s.PGSQL.<port>`.
        package var socketPath: String? { socketDirectory.map { "\($0)/.s.PGSQL.\(port)" } }
    }

    /// A refusal that names what is wrong, never the password.
    package struct ParseError: Error, Equatable, CustomStringConvertible {
        package var description: String
        init(_ description: String) { self.description = description }
    }

    package init(parsing text: String) throws(ParseError) {
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard path.hasPrefix("/"), path.count > 1 else {
                throw ParseError("a sqlite URL needs an absolute path: sqlite:///path/to/vpnaas.sqlite")
            }
            self = .sqlite(path: try Self.decode(path, "path"))
            return
        }
        let rest: Substring
        if text.hasPrefix("postgresql://") {
            rest = text.dropFirst("postgresql://".count)
        } else if text.hasPrefix("postgres://") {
            rest = text.dropFirst("postgres://".count)
        } else {
            throw ParseError("unsupported database URL scheme (use sqlite:///path or postgresql://user@host/db)")
        }
        var query: Substring = ""
        var main = rest
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            main = rest[..<q]
        }
        guard let slash = main.firstIndex(of: "/") else {
            throw ParseError("a postgresql URL needs a database name: postgresql://user@host/db")
        }
        let authority = main[..<slash]
        let database = try Self.decode(String(main[main.index(after: slash)...]), "database name")
        guard !database.isEmpty, !database.contains("/") else {
            throw ParseError("a postgresql URL needs a database name: postgresql://user@host/db")
        }
        guard let at = authority.lastIndex(of: "@") else {
            throw ParseError("a postgresql URL needs a user: postgresql://user@host/db")
        }
        let credentials = authority[..<at]
        let hostPort = authority[authority.index(after: at)...]
        var user = credentials
        var password: String?
        if let colon = credentials.firstIndex(of: ":") {
            user = credentials[..<colon]
            password = try Self.decode(String(credentials[credentials.index(after: colon)...]), "password")
        }
        let decodedUser = try Self.decode(String(user), "user")
        guard !decodedUser.isEmpty else { throw ParseError("a postgresql URL needs a user: postgresql://user@host/db") }
        var result = Postgres(user: decodedUser, password: password, database: database)
        if !hostPort.isEmpty {
            var host = hostPort
            var portText: Substring?
            if hostPort.hasPrefix("[") {
                guard let close = hostPort.firstIndex(of: "]") else { throw ParseError("unterminated [IPv6] host in database URL") }
                host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
                let after = hostPort[hostPort.index(after: close)...]
                if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                    throw ParseError("bad host in database URL")
                }
            } else if let colon = hostPort.lastIndex(of: ":") {
                host = hostPort[..<colon]
                portText = hostPort[hostPort.index(after: colon)...]
            }
            guard !host.isEmpty else { throw ParseError("bad host in database URL") }
            result.host = String(host)
            if let portText { result.port = try Self.port(portText) }
        }
        for item in query.split(separator: "&") where !item.isEmpty {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = pair[0]
            let value = pair.count > 1 ? try Self.decode(String(pair[1]), String(key)) : ""
            switch key {
            case "host":
                guard value.hasPrefix("/") else {
                    throw ParseError("?host= must be the absolute path of the server's socket directory")
                }
                result.socketDirectory = value
            case "port": result.port = try Self.port(Substring(value))
            default: throw ParseError("unsupported database URL parameter \(key)")
            }
        }
        if result.host != nil, result.socketDirectory != nil {
            throw ParseError("a postgresql URL takes a host or ?host=/socket/dir, not both")
        }
        if result.host == nil, result.socketDirectory == nil {
            throw ParseError("a postgresql URL needs a host or ?host=/socket/dir")
        }
        self = .postgres(result)
    }

    /// The URL with the password masked.
    package var description: String {
        switch self {
        case .sqlite(let path): return "sqlite://\(path)"
        case .postgres(let p):
            let credentials = p.user + (p.password == nil ? "" : ":***")
            if let dir = p.socketDirectory {
                return "postgresql://\(credentials)@/\(p.database)?host=\(dir)" + (p.port == 5432 ? "" : "&port=\(p.port)")
            }
            let host = (p.host ?? "").contains(":") ? "[\(p.host ?? "")]" : (p.host ?? "")
            return "postgresql://\(credentials)@\(host):\(p.port)/\(p.database)"
        }
    }

    private static func port(_ text: Substring) throws(ParseError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else { throw ParseError("bad port in database URL") }
        return port
    }

    /// Percent-decoding (`%40` for `@` in a password, say).
    private static func decode(_ text: String, _ what: String) throws(ParseError) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let b = utf8.popFirst() {
            if b == UInt8(ascii: "%") {
                guard utf8.count >= 2, let v = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) else {
                    throw ParseError("bad percent-encoding in the database URL's \(what)")
                }
                bytes.append(v)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw ParseError("bad percent-encoding in the database URL's \(what)")
        }
        return s
    }
}
