import Testing
import VPNaaSDomain
import VPNaaSStore

/// Migrations 0007/0008 on every backend: newest first, marker paging, retention by count and age, events of
/// deleted connections dropped; migration 0006: legacy crypto storable, policies still RESTRICTed.
struct ConnectionEventStoreTests {
    static func event(_ n: Int, connection: String = "c", time: Int64? = nil) -> ConnectionEvent {
        ConnectionEvent(
            id: "e\(n)", connectionID: connection, time: time ?? Int64(1_000_000 + n), kind: n % 2 == 0 ? .up : .failure,
            failureReason: n % 2 == 0 ? nil : .authenticationFailed, message: "event \(n)")
    }

    @Test(arguments: Backend.available)
    func pagingRetentionAndCascade(backend: Backend) async throws {
        try await backend.withStore { store in
            try await SecretAtRestTests.seed(store)
            try await store.write { tx in try await tx.insert((1...6).map { Self.event($0) } + [Self.event(99, connection: "gone")]) }
            let all = try await store.read { try await $0.connectionEvents("c", olderThan: nil, limit: 100) }
            #expect(all?.map(\.id) == ["e6", "e5", "e4", "e3", "e2", "e1"])
            #expect(all?.first(where: { $0.id == "e5" })?.failureReason == .authenticationFailed)
            let page = try await store.read { try await $0.connectionEvents("c", olderThan: "e4", limit: 2) }
            #expect(page?.map(\.id) == ["e3", "e2"])
            #expect(try await store.read { try await $0.connectionEvents("c", olderThan: "nope", limit: 2) } == nil)
            // Keep the newest 4, and nothing older than time 1_000_002.
            try await store.write { tx in try await tx.pruneConnectionEvents(["c"], keep: 4, olderThanMillis: 1_000_002) }
            #expect(try await store.read { try await $0.connectionEvents("c", olderThan: nil, limit: 100) }?.map(\.id) == ["e6", "e5", "e4", "e3"])
            try await store.write { tx in try await tx.pruneConnectionEvents(["c"], keep: 2, olderThanMillis: 0) }
            #expect(try await store.read { try await $0.connectionEvents("c", olderThan: nil, limit: 100) }?.map(\.id) == ["e6", "e5"])
            // Events go with their connection.
            try await store.write { try await $0.deleteIPsecSiteConnection("c") }
            #expect(try await store.read { try await $0.connectionEvents("c", olderThan: nil, limit: 100) } == [])
        }
    }

    @Test(arguments: Backend.available)
    func legacyCryptoIsStorableAndPoliciesStayRestricted(backend: Backend) async throws {
        try await backend.withStore { store in
            try await SecretAtRestTests.seed(store)
            try await store.write { tx in
                try await tx.insert(IKEPolicy(id: "old", projectID: "p", authAlgorithm: .sha1, encryptionAlgorithm: .tripleDES))
                try await tx.insert(IPsecPolicy(id: "old", projectID: "p", authAlgorithm: .sha1, encryptionAlgorithm: .tripleDES))
            }
            #expect(try await store.read { try await $0.ikePolicy("old")?.encryptionAlgorithm } == .tripleDES)
            // The rebuilt tables are still referenced by the connection: deleting its policy is refused.
            await #expect(throws: StoreError.self) { try await store.write { try await $0.deleteIKEPolicy("ike") } }
            await #expect(throws: StoreError.self) { try await store.write { try await $0.deleteIPsecPolicy("ipsec") } }
        }
    }
}
