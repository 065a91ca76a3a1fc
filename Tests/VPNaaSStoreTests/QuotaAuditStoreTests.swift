import Testing
import VPNaaSDomain
import VPNaaSStore

/// Quota rows and the audit trail in every store backend: upserts, counts inside a write, retention.
@Suite struct QuotaAuditStoreTests {
    static func event(_ n: Int, millis: Int64, resource: String = "r", project: String = "p") -> AuditEvent {
        AuditEvent(
            id: "e\(n)", timeMillis: millis, projectID: project, userID: "u", requestID: "req-\(n)", method: "POST",
            path: "/v2.0/routers", resourceType: "router", resourceID: resource, action: "create", status: 201,
            attributes: ["name"])
    }

    @Test(arguments: Backend.available)
    func quotaRowsUpsertAndReset(backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.write { tx in
                try await tx.setQuota(projectID: "p", .router, limit: 3)
                try await tx.setQuota(projectID: "p", .router, limit: 5)
                try await tx.setQuota(projectID: "p", .network, limit: -1)
                try await tx.setQuota(projectID: "q", .port, limit: 0)
            }
            #expect(try await store.read { try await $0.quotaOverrides(projectID: "p") } == [.router: 5, .network: -1])
            #expect(try await store.read { try await $0.quotaOverrides() }.keys.sorted() == ["p", "q"])
            try await store.write { try await $0.deleteQuotas(projectID: "p") }
            #expect(try await store.read { try await $0.quotaOverrides(projectID: "p") }.isEmpty)
            await #expect(throws: StoreError.self) { try await store.write { try await $0.setQuota(projectID: "p", .router, limit: -2) } }
        }
    }

    @Test(arguments: Backend.available)
    func countSeesTheTransactionsOwnInserts(backend: Backend) async throws {
        try await backend.withStore { store in
            let counts = try await store.write { tx -> (Int, Int) in
                let before = try await tx.count(.ikePolicy, projectID: "p")
                try await tx.insert(IKEPolicy(id: "i1", projectID: "p"))
                try await tx.insert(IKEPolicy(id: "i2", projectID: "other"))
                return (before, try await tx.count(.ikePolicy, projectID: "p"))
            }
            #expect(counts == (0, 1))
            let usage = try await store.write { tx -> [String] in
                func text(_ u: (limit: Int, used: Int?)) -> String { "\(u.limit)/\(u.used.map(String.init) ?? "-")" }
                let byDefault = try await tx.quotaUsage(.ikePolicy, projectID: "p", defaultLimit: 100)
                let unlimited = try await tx.quotaUsage(.ikePolicy, projectID: "p", defaultLimit: -1)
                try await tx.setQuota(projectID: "p", .ikePolicy, limit: 7)
                try await tx.insert(IKEPolicy(id: "i3", projectID: "p"))
                let own = try await tx.quotaUsage(.ikePolicy, projectID: "p", defaultLimit: -1)
                try await tx.setQuota(projectID: "p", .router, limit: -1)
                let ownUnlimited = try await tx.quotaUsage(.router, projectID: "p", defaultLimit: 10)
                let empty = try await tx.quotaUsage(.router, projectID: "nobody", defaultLimit: 10)
                return [text(byDefault), text(unlimited), text(own), text(ownUnlimited), text(empty)]
            }
            #expect(usage == ["100/1", "-1/-", "7/2", "-1/-", "10/0"])

        }
    }

    @Test(arguments: Backend.available)
    func insertWithinQuotaAdmitsOnlyUnderTheLimit(backend: Backend) async throws {
        try await backend.withStore { store in
            let guardP = QuotaGuard(.ikePolicy, projectID: "p", defaultLimit: 2)
            #expect(try await store.write { try await $0.insert(IKEPolicy(id: "i1", projectID: "p"), within: guardP) })
            #expect(try await store.write { try await $0.insert(IKEPolicy(id: "i2", projectID: "p"), within: guardP) })
            // At the default limit: nothing inserted.
            #expect(try await !store.write { try await $0.insert(IKEPolicy(id: "i3", projectID: "p"), within: guardP) })
            // Another project's rows do not count; the project's own row overrides the default; -1 is unlimited.
            #expect(try await store.write {
                try await $0.insert(IKEPolicy(id: "o1", projectID: "other"), within: QuotaGuard(.ikePolicy, projectID: "other", defaultLimit: 1))
            })
            try await store.write { try await $0.setQuota(projectID: "p", .ikePolicy, limit: 3) }
            #expect(try await store.write { try await $0.insert(IKEPolicy(id: "i3", projectID: "p"), within: guardP) })
            #expect(try await !store.write { try await $0.insert(IKEPolicy(id: "i4", projectID: "p"), within: guardP) })
            try await store.write { try await $0.setQuota(projectID: "p", .ikePolicy, limit: -1) }
            #expect(try await store.write { try await $0.insert(IKEPolicy(id: "i4", projectID: "p"), within: guardP) })
            // IPsec policies count their own table; a limit of 0 admits none.
            let ipsec = QuotaGuard(.ipsecPolicy, projectID: "p", defaultLimit: 0)
            #expect(try await !store.write { try await $0.insert(IPsecPolicy(id: "s1", projectID: "p"), within: ipsec) })
            #expect(try await store.read { try await $0.ipsecPolicy("s1") } == nil)
            // Constraints still hold: a duplicate id is a unique violation, not a quiet false.
            await #expect(throws: StoreError.self) {
                try await store.write { try await $0.insert(IKEPolicy(id: "i1", projectID: "p"), within: guardP) }
            }
            #expect(try await store.read { try await $0.count(.ikePolicy, projectID: "p") } == 4)
        }
    }

    /// Twelve creates at once against a limit of five: exactly five go in (SERIALIZABLE transactions on
    /// PostgreSQL, the single writer on SQLite), never six.
    @Test(arguments: Backend.available)
    func concurrentCreatesNeverExceedTheQuota(backend: Backend) async throws {
        try await backend.withStore { store in
            let quota = QuotaGuard(.ikePolicy, projectID: "race", defaultLimit: 5)
            let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<12 {
                    group.addTask {
                        try await store.write { try await $0.insert(IKEPolicy(id: "r\(i)", projectID: "race"), within: quota) }
                    }
                }
                var n = 0
                for try await ok in group where ok { n += 1 }
                return n
            }
            #expect(admitted == 5)
            #expect(try await store.read { try await $0.count(.ikePolicy, projectID: "race") } == 5)
        }
    }

    @Test(arguments: Backend.available)
    func auditRetentionByCountAndAge(backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.write { tx in
                for n in 1...10 { try await tx.insert(Self.event(n, millis: Int64(n) * 1000, resource: n.isMultiple(of: 2) ? "even" : "odd")) }
            }
            #expect(try await store.read { try await $0.auditEvents(AuditQuery()) }.count == 10)
            #expect(try await store.read { try await $0.auditEvents(AuditQuery(filters: ["resource_id": ["even"]])) }.map(\.id) == ["e2", "e4", "e6", "e8", "e10"])
            let page = try await store.read { try await $0.auditEvents(AuditQuery(marker: "e3", limit: 2)) }
            #expect(page.map(\.id) == ["e4", "e5"])
            let newest = try await store.read { try await $0.auditEvents(AuditQuery(marker: "e3", limit: 2, descending: true)) }
            #expect(newest.map(\.id) == ["e2", "e1"])
            try await store.write { try await $0.pruneAuditEvents(keep: 6, olderThanMillis: 0) }
            #expect(try await store.read { try await $0.auditEvents(AuditQuery()) }.map(\.id) == ["e5", "e6", "e7", "e8", "e9", "e10"])
            try await store.write { try await $0.pruneAuditEvents(keep: 100, olderThanMillis: 8000) }
            #expect(try await store.read { try await $0.auditEvents(AuditQuery()) }.map(\.id) == ["e8", "e9", "e10"])
            #expect(try await store.read { try await $0.auditEvents(AuditQuery()) }.first?.attributes == ["name"])
        }
    }
}
