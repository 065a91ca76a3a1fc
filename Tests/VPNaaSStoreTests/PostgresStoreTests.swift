import Foundation
import Logging
import Synchronization
import Testing
import VPNaaSDomain
@testable import VPNaaSStore

/// What only PostgreSQL has: `?` placeholders rewritten, migrations recorded once even when two processes
/// migrate at once, and serialization failures retried inside `write` so callers never see them.
@Suite struct PostgresStoreTests {
    @Test func placeholdersAreNumbered() {
        #expect(PostgresExecutor.numberedPlaceholders("SELECT * FROM t WHERE a = ? AND b = ?") == "SELECT * FROM t WHERE a = $1 AND b = $2")
        #expect(PostgresExecutor.numberedPlaceholders("WHERE (?1 IS NULL OR p = ?1) AND (?2 IS NULL OR u = ?2)")
            == "WHERE ($1 IS NULL OR p = $1) AND ($2 IS NULL OR u = $2)")
        #expect(PostgresExecutor.numberedPlaceholders("SELECT '?' , ?") == "SELECT '?' , $1")
    }

    @Test func migrationStatementsSplitAtLineEnds() {
        #expect(PostgresStore.statements("CREATE TABLE a (x BIGINT);\nCREATE INDEX i ON a (x);\n") == ["CREATE TABLE a (x BIGINT)", "CREATE INDEX i ON a (x)"])
        #expect(PostgresStore.migrations.map(\.name) == [
            "0001_core_l3", "0002_vpnaas", "0003_identity", "0004_quotas", "0005_audit_events", "0006_token_revocations",
            "0007_legacy_crypto", "0008_connection_events", "0009_list_indexes", "0010_network_agents",
            "0011_change_triggers", "0012_connection_runtime",
        ])
        // The trigger function's body stays one statement.
        let triggers = PostgresStore.statements(PostgresStore.changeTriggers)
        #expect(triggers.count == 1 + PostgresStore.announcedTables.count)
        #expect(triggers[0].hasPrefix("CREATE FUNCTION vpnaas_notify_change()") && triggers[0].hasSuffix("END $$"))
        #expect(!PostgresStore.announcedTables.contains("audit_events") && !PostgresStore.announcedTables.contains("network_agents"))
    }

    @Test(.enabled(if: PostgresTestServer.configured || PostgresTestServer.required))
    func migrationsAreRecordedOnceAndConcurrentMigratorsAgree() async throws {
        try await PostgresTestServer.withScratchStore { store in
            // withStore migrated once; three more at once must wait on the advisory lock and apply nothing.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { try await store.migrate() } }
                try await group.waitForAll()
            }
            #expect(try await store.appliedMigrations() == PostgresStore.migrations.map(\.name))
        }
    }

    @Test(.enabled(if: PostgresTestServer.configured || PostgresTestServer.required))
    func serializationFailuresAreRetriedInsideWrite() async throws {
        try await PostgresTestServer.withScratchStore { store in
            // Every writer counts the project's policies and then inserts one: under SERIALIZABLE these
            // read-then-write transactions conflict, and `write` must retry them until each commits.
            let writers = 12
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<writers {
                    group.addTask {
                        try await store.write { tx in
                            let n = try await tx.count(.ikePolicy, projectID: "p")
                            try await tx.insert(IKEPolicy(id: "i\(i)", projectID: "p", name: "seen \(n)"))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let names = try await store.read { tx in try await tx.ikePolicies().map(\.name) }
            #expect(names.count == writers)
            // Serialized: each writer saw a different count, 0..<writers.
            #expect(Set(names) == Set((0..<writers).map { "seen \($0)" }))
        }
    }

    @Test(.enabled(if: PostgresTestServer.configured || PostgresTestServer.required))
    func databaseTextStaysOutOfTheMessage() async throws {
        try await PostgresTestServer.withScratchStore { store in
            try await store.write { tx in try await tx.insert(IKEPolicy(id: "dup", projectID: "p")) }
            do {
                try await store.write { tx in try await tx.insert(IKEPolicy(id: "dup", projectID: "p")) }
                Issue.record("a duplicate id was accepted")
            } catch let error as StoreError {
                #expect(error.code == .uniqueViolation)
                #expect(!error.message.contains("vpn_ikepolicies"))
                #expect(error.cause != nil)
            }
        }
    }
}

/// LISTEN/NOTIFY: a write committed through one store reaches another store's listener (the cross-replica
/// wake-up); a rolled-back one does not, and a store does not hear its own writes (signalled in-process).
@Suite struct PostgresChangeListenerTests {
    /// When the listener was called.
    final class Heard: Sendable {
        let times = Mutex<[ContinuousClock.Instant]>([])
        func withLock<R>(_ body: (inout [ContinuousClock.Instant]) -> R) -> R { times.withLock { body(&$0) } }
    }

    /// Waits until `heard` holds more than `count` wake-ups, up to `limit`; the new count.
    static func wait(_ heard: Heard, beyond count: Int, limit: Duration) async throws -> Int {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let n = heard.withLock { $0.count }
            if n > count { return n }
            try await Task.sleep(for: .milliseconds(5))
        }
        return heard.withLock { $0.count }
    }

    @Test(.enabled(if: PostgresTestServer.configured || PostgresTestServer.required))
    func otherStoresCommittedWritesWakeTheListener() async throws {
        try await PostgresTestServer.withScratchStore { listening in
            // Another process's store: its own pools, so its own application_name.
            var url = try PostgresTestServer.admin()
            url.database = try await listening.statementRead { try await $0.scalar(String.self, "SELECT current_database()", []) } ?? ""
            try await PostgresStore.withStore(url.clientConfiguration, secrets: .random()) { other in
            #expect(other.instanceID != listening.instanceID)
            let heard = Heard()
            let listener = PostgresChangeListener(store: listening, logger: Logger(label: "test"), onChange: {
                heard.withLock { $0.append(.now) }
            })
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await listener.run() }
                // The "(re)started listening" wake-up comes first.
                #expect(try await Self.wait(heard, beyond: 0, limit: Duration.seconds(10)) == 1)
                // Its own store's write: not heard.
                try await listening.write { tx in try await tx.insert(IKEPolicy(id: "own", projectID: "p")) }
                #expect(try await Self.wait(heard, beyond: 1, limit: Duration.milliseconds(300)) == 1)
                // A rolled-back write of the other store: not heard.
                _ = try? await other.write { tx -> Void in
                    try await tx.insert(IKEPolicy(id: "rolled-back", projectID: "p"))
                    throw CancellationError()
                }
                #expect(try await Self.wait(heard, beyond: 1, limit: Duration.milliseconds(300)) == 1)
                // Its committed write: heard, and soon.
                let start = ContinuousClock.now
                try await other.write { tx in try await tx.insert(IKEPolicy(id: "theirs", projectID: "p")) }
                #expect(try await Self.wait(heard, beyond: 1, limit: Duration.seconds(5)) == 2)
                let latency = start.duration(to: heard.withLock { $0[1] })
                print("LISTEN/NOTIFY: another store's commit heard after \(latency)")
                #expect(latency < Duration.seconds(1))
                let ids = try await listening.read { tx in try await tx.ikePolicies().map(\.id) }
                #expect(Set(ids) == ["own", "theirs"])
                // A single-statement write (a create under quota) is heard too, and counts as committed.
                #expect(try await other.write { tx in
                    try await tx.insert(IKEPolicy(id: "single", projectID: "p"), within: QuotaGuard(.ikePolicy, projectID: "p", defaultLimit: 10))
                })
                #expect(try await Self.wait(heard, beyond: 2, limit: Duration.seconds(5)) == 3)
                // An audit append is not announced.
                try await other.writeUnannounced { tx in
                    try await tx.insert(AuditEvent(
                        id: "a1", timeMillis: 1, projectID: "p", userID: nil, requestID: "r", method: "POST", path: "/x",
                        resourceType: "ikepolicy", resourceID: "single", action: "create", status: 201, attributes: []))
                }
                #expect(try await Self.wait(heard, beyond: 3, limit: Duration.milliseconds(300)) == 3)
                group.cancelAll()
            }
            }
        }
    }
}
