import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Replays the recorded Neutron fixtures (shared/reference/neutron-fixtures) against the real router,
/// mapping Neutron's ids to ours as responses come in, and then mutates the VPN request bodies at random.
struct FixtureReplayTests {
    static let directory = ProcessInfo.processInfo.environment["NEUTRON_FIXTURES"] ?? "/work/shared/reference/neutron-fixtures"
    static var available: Bool { FileManager.default.fileExists(atPath: directory + "/01-network-provider-create.json") }

    /// Our documented improvements over Neutron 29 (design §3): seq → (status, type).
    static let deviations: [Int: (Int, String?)] = [
        32: (201, nil), 33: (400, "HTTPBadRequest"), 34: (400, "HTTPBadRequest"), 56: (404, "VPNServiceNotFound"),
    ]

    struct Fixture: @unchecked Sendable {
        let seq: Int
        let method: String
        let path: String
        let body: Any?
        let status: Int
        let response: Any?
    }

    static func load() throws -> [Fixture] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.first?.isNumber == true && $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
            let o = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            let request = o["request"] as! [String: Any]
            let response = o["response"] as! [String: Any]
            return Fixture(
                seq: o["seq"] as! Int, method: request["method"] as! String, path: request["path"] as! String,
                body: request["body"].flatMap { $0 is NSNull ? nil : $0 }, status: response["status"] as! Int,
                response: response["body"].flatMap { $0 is NSNull ? nil : $0 })
        }
    }

    /// Recorded id → our id, learnt by walking recorded and actual responses side by side.
    final class IDMap: @unchecked Sendable {
        var ids: [String: String] = [:]

        func learn(_ recorded: Any?, _ actual: Any?) {
            switch (recorded, actual) {
            case (let r as [String: Any], let a as [String: Any]):
                for (k, v) in r { learn(v, a[k]) }
            case (let r as [Any], let a as [Any]):
                for (x, y) in zip(r, a) { learn(x, y) }
            case (let r as String, let a as String) where r != a && r.count == 36 && r.split(separator: "-").count == 5:
                ids[r] = a
            default: break
            }
        }

        func apply(_ text: String) -> String {
            ids.reduce(text) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
        }

        func apply(body: Any?) throws -> Any? {
            guard let body else { return nil }
            if let raw = body as? String { return apply(raw) }
            let text = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
            return try JSONSerialization.jsonObject(with: Data(apply(text).utf8))
        }
    }

    static func method(_ m: String) -> HTTPRequest.Method {
        switch m {
        case "POST": .post
        case "PUT": .put
        case "DELETE": .delete
        default: .get
        }
    }

    static func keySets(_ body: Any?) -> [String: Set<String>] {
        guard let o = body as? [String: Any] else { return [:] }
        var out: [String: Set<String>] = [:]
        for (k, v) in o {
            if let inner = v as? [String: Any] { out[k] = Set(inner.keys) }
            if let list = v as? [[String: Any]], let first = list.first { out[k] = Set(first.keys) }
        }
        return out
    }

    @Test(.enabled(if: available)) func everyFixtureAnswersAsRecorded() async throws {
        let fixtures = try Self.load()
        try await TestAPI.test { c in
            let map = IDMap()
            for f in fixtures {
                let reply = try await c.call(Self.method(f.method), map.apply(f.path), try map.apply(body: f.body))
                // Lists are sorted by id, so only single-object answers pair ids reliably.
                if f.method != "GET" { map.learn(f.response, reply.json) }
                let recordedType = ((f.response as? [String: Any])?["NeutronError"] as? [String: Any])?["type"] as? String
                let (status, type) = Self.deviations[f.seq] ?? (f.status, recordedType)
                #expect(reply.status == status, "fixture \(f.seq) \(f.method) \(f.path)")
                if let type { #expect(reply.errorType == type, "fixture \(f.seq)") }
                if Self.deviations[f.seq] == nil, f.status < 300, !f.path.hasSuffix("/extensions") {
                    #expect(Self.keySets(reply.json) == Self.keySets(f.response), "fixture \(f.seq) key sets")
                }
            }
        }
    }

    /// A small seeded generator so a failing mutation can be reproduced.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    nonisolated(unsafe) static let oddValues: [Any] = [
        NSNull(), true, false, 0, -1, 1, 59, 60, 65536, Int.max, 1.5, 1e300, "", " ", "x", "1400", "-1", "sha1", "3des",
        "aes-256", "group14", "10.0.0.0/8", "2001:db8::/129", "not-a-uuid", "0c3e2f0d-0b55-4e32-a1c2-9b5f4fa463c4",
        String(repeating: "y", count: 300), "ünïcødé ☃", [Any](), ["a", "b"], [1, 2], [String: Any](),
        ["units": "seconds", "value": 120], ["action": "restart", "interval": 5, "timeout": 1], ["value": "abc"],
        [["nested": [NSNull()]]],
    ]

    static func mutate(_ body: Any, _ g: inout SplitMix) -> Any {
        guard var envelope = body as? [String: Any], let key = envelope.keys.first,
            var inner = envelope[key] as? [String: Any]
        else { return oddValues.randomElement(using: &g)! }
        switch Int.random(in: 0..<6, using: &g) {
        case 0 where !inner.isEmpty:
            inner.removeValue(forKey: inner.keys.sorted().randomElement(using: &g)!)
        case 1:
            inner["colour"] = oddValues.randomElement(using: &g)!
        case 2:
            return [key: oddValues.randomElement(using: &g)!]
        case 3:
            return oddValues.randomElement(using: &g)!
        default:
            if let k = inner.keys.sorted().randomElement(using: &g) { inner[k] = oddValues.randomElement(using: &g)! }
        }
        envelope[key] = inner
        return envelope
    }

    @Test(.enabled(if: available)) func mutatedBodiesNeverCauseServerErrors() async throws {
        let fixtures = try Self.load()
        let setup = fixtures.filter { $0.seq <= 30 }
        let targets = fixtures.filter { $0.path.contains("/vpn/") && ($0.method == "POST" || $0.method == "PUT") && $0.body is [String: Any] }
        try await TestAPI.test { c in
            let map = IDMap()
            for f in setup {
                let reply = try await c.call(Self.method(f.method), map.apply(f.path), try map.apply(body: f.body))
                if f.method != "GET" { map.learn(f.response, reply.json) }
            }
            var g = SplitMix(state: 0x5EED)
            var seen: [Int: Int] = [:]
            for round in 0..<400 {
                let f = targets.randomElement(using: &g)!
                var body = try map.apply(body: f.body)!
                for _ in 0..<Int.random(in: 1...3, using: &g) { body = Self.mutate(body, &g) }
                let payload: Any = JSONSerialization.isValidJSONObject(body) ? body : ["wrapped": body]
                let reply = try await c.call(Self.method(f.method), map.apply(f.path), payload)
                seen[reply.status / 100, default: 0] += 1
                #expect((200..<500).contains(reply.status), "round \(round): \(f.method) \(f.path) \(payload) → \(reply.status) \(reply.json ?? "")")
            }
            // The mutations must reach both the validators (4xx) and the success paths (2xx).
            #expect(seen[4, default: 0] > 50)
            #expect(seen[2, default: 0] > 5)
        }
    }
}
