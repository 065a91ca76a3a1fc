import Logging
import Testing
import VPNaaSCore
import VPNaaSDomain
import VPNaaSStore

/// The audit trail's retention: enforced on the first insert and every `pruneEvery`-th one, so the table stays
/// within its bound plus less than `pruneEvery` events.
@Suite struct AuditRetentionTests {
    static func event(_ n: Int) -> AuditEvent {
        AuditEvent(
            id: "e\(n)", timeMillis: 1_800_000_000_000 + Int64(n), projectID: "p", userID: "u", requestID: "req-\(n)",
            method: "POST", path: "/v2.0/routers", resourceType: "router", resourceID: "r", action: "create", status: 201,
            attributes: ["name"])
    }

    static func stored(_ store: SQLiteStore) async throws -> [AuditEvent] {
        try await store.read { tx in try await tx.auditEvents(AuditQuery()) }
    }

    @Test(arguments: [1, 8, 64])
    func theTrailStaysWithinItsBoundPlusTheCadence(pruneEvery: Int) async throws {
        let store = try SQLiteStore()
        let trail = AuditTrail(store: store, retention: AuditRetention(maxEvents: 10), pruneEvery: pruneEvery)
        let logger = Logger(label: "test")
        for n in 0..<200 {
            try await trail.record(Self.event(n), logger: logger)
            let count = try await Self.stored(store).count
            #expect(count <= 10 + pruneEvery - 1, "after \(n + 1) inserts with pruneEvery \(pruneEvery): \(count)")
        }
        let kept = try await Self.stored(store)
        // The newest are the ones kept; with a prune on every insert exactly the bound.
        #expect(kept.map(\.id).contains("e199"))
        if pruneEvery == 1 { #expect(kept.count == 10) }
    }
}
