import Foundation
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
            "0007_legacy_crypto", "0008_connection_events", "0009_list_indexes",
        ])
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
