import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
import VPNaaSAPI

/// Enforcement through the real HTTP server on the real (file, WAL) store: parallel creates at the
/// limit never take a project past it, and what the count costs at 1k rows.
@Suite(.serialized) struct QuotaRaceTests {
    static let tenant: HTTPFields = [
        .contentType: "application/json", HTTPField.Name("X-Project-Id")!: "racer", HTTPField.Name("X-Roles")!: "member",
    ]

    /// A live server on a fresh data dir; `body` gets its port. Expectations belong outside `body`:
    /// the live test runs it in a task of its own, where a failed `#expect` may not reach the test.
    static func withLiveServer<T: Sendable>(_ body: @escaping @Sendable (Int) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vpnaas-quota-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let app = try await buildApplication(APIConfiguration(port: 0, dataDir: dir, authStrategy: .noauth, database: .sqliteFile))
        let box = ResultBox<T>()
        try await app.test(.live) { client in
            guard let port = client.port else { throw TestSetupError("live client without a port") }
            box.set(try await body(port))
        }
        guard let value = box.get() else { throw TestSetupError("live test produced no result") }
        return value
    }

    static func send(_ port: Int, _ method: HTTPRequest.Method, _ path: String, _ json: String?, headers: HTTPFields = tenant)
        async throws -> (status: Int, body: String)
    {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            let response = try await client.execute(
                .init(path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }))
            return (Int(response.status.code), response.body.map { String(buffer: $0) } ?? "")
        }
    }

    @Test func thirtyTwoParallelCreatesWithQuotaTen() async throws {
        let admin: HTTPFields = [.contentType: "application/json"]
        let (set, statuses, listed, late) = try await Self.withLiveServer { port in
            let set = try await Self.send(port, .put, "/v2.0/quotas/racer", #"{"quota": {"router": 10}}"#, headers: admin).status
            // Given 32 clients on their own connections, released together
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<32 {
                    group.addTask {
                        try await Self.send(port, .post, "/v2.0/routers", #"{"router": {"name": "r\#(i)"}}"#).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            let list = try await Self.send(port, .get, "/v2.0/routers", nil).body
            let late = try await Self.send(port, .post, "/v2.0/routers", #"{"router": {"name": "late"}}"#).body
            return (set, statuses, list, late)
        }
        #expect(set == 200)
        // Then exactly the quota succeeds and the rest are OverQuota
        let created = statuses.reduce(0) { $0 + ($1 == 201 ? 1 : 0) }
        let refused = statuses.reduce(0) { $0 + ($1 == 409 ? 1 : 0) }
        #expect(statuses.count == 32)
        #expect(created == 10)
        #expect(refused == 22)
        let routers = try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [String: Any]
        #expect((routers?["routers"] as? [Any])?.count == 10)
        #expect(late.contains(#""OverQuota""#))
        print("quota race: \(statuses.count) parallel creates, quota 10 -> \(created) x 201, \(refused) x 409")
    }

    /// Not a gate (the machine is shared and noisy): prints the create latency with quota checks
    /// when the project already owns 1000 rows, next to the same create with the quota unlimited.
    @Test func createLatencyWithQuotaChecksAtOneThousandRows() async throws {
        let admin: HTTPFields = [.contentType: "application/json"]
        let (seeded, checked, unlimited) = try await Self.withLiveServer { port in
            // One keep-alive connection, as a client library would use: the figure is the server's.
            try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                func post(_ path: String, _ json: String, headers: HTTPFields = Self.tenant, method: HTTPRequest.Method = .post) async throws -> Int {
                    Int(try await client.execute(.init(path, method: method, headers: headers, body: ByteBuffer(string: json))).status.code)
                }
                _ = try await post("/v2.0/quotas/racer", #"{"quota": {"ikepolicy": 5000}}"#, headers: admin, method: .put)
                var seeded = 0
                for i in 0..<1000 where try await post("/v2.0/vpn/ikepolicies", #"{"ikepolicy": {"name": "p\#(i)"}}"#) == 201 {
                    seeded += 1
                }
                func sample(_ n: Int) async throws -> [Double] {
                    var times: [Double] = []
                    for i in 0..<n {
                        let start = ContinuousClock.now
                        let status = try await post("/v2.0/vpn/ikepolicies", #"{"ikepolicy": {"name": "s\#(i)"}}"#)
                        let elapsed = start.duration(to: .now)
                        if status == 201 {
                            times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                        }
                    }
                    return times.sorted()
                }
                let checked = try await sample(200)
                _ = try await post("/v2.0/quotas/racer", #"{"quota": {"ikepolicy": -1}}"#, headers: admin, method: .put)
                return (seeded, checked, try await sample(200))
            }
        }
        #expect(seeded == 1000)
        #expect(checked.count == 200)
        #expect(unlimited.count == 200)
        guard checked.count == 200, unlimited.count == 200 else { return }
        func ms(_ v: Double) -> String { String(format: "%.2f ms", v) }
        print(
            "quota latency with 1000+ rows in the project: POST ikepolicy with quota check median \(ms(checked[100])) p95 \(ms(checked[190])); quota -1 (no count) median \(ms(unlimited[100])) p95 \(ms(unlimited[190]))"
        )
        #expect(checked[100] < 250)
    }
}

/// Carries a value out of a closure that cannot return one.
final class ResultBox<T: Sendable>: Sendable {
    private let value = Mutex<T?>(nil)
    func set(_ v: T) { value.withLock { $0 = v } }
    func get() -> T? { value.withLock { $0 } }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
