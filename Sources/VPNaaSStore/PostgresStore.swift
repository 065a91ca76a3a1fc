import Logging
import PostgresNIO
import ServiceLifecycle

/// The networked store: PostgreSQL through postgres-nio's `PostgresClient` pool, same schema invariants and the
/// same `SQLAccess` queries as `SQLiteStore`.
///
/// Every write transaction is SERIALIZABLE, so a use-case's checks (quota counts, "in use" rules, free segment ids)
/// and its writes are atomic exactly as with SQLite's single writer; PostgreSQL reports a conflicting interleaving
/// as a serialization failure (40001) or deadlock (40P01) and `read`/`write` run the body again, a bounded number
/// of times, so callers never see one. Writes always have an explicit BEGIN … COMMIT, even of one statement: a
/// SERIALIZABLE statement committing on its own can fail at its implicit commit after its CommandComplete, which
/// postgres-nio reports as the statement's success. The pool names its sessions `instanceID` (`application_name`),
/// which the change triggers send with every notification. Database messages stay in `StoreError.cause` (logs),
/// never in `message`.
///
/// The client must be running (`run()`, a `Service`) while the store is used: `withStore` scopes that for a
/// command or a test.
package struct PostgresStore: Store {
    package let client: PostgresClient
    private let secrets: SecretBox
    private let logger: Logger
    /// Tries per transaction when PostgreSQL reports a serialization failure or deadlock.
    package var maxAttempts = 8
    /// This store's sessions' `application_name`, sent with each change notification, so this store's own listener
    /// can tell its writes (already signalled in-process) from other processes'.
    package let instanceID: String

    package init(client: PostgresClient, instanceID: String, secrets: SecretBox, logger: Logger = Logger(label: "vpnaas.postgres")) {
        self.client = client
        self.instanceID = instanceID
        self.secrets = secrets
        self.logger = logger
    }

    /// A fresh instance id: 32 hex digits (fits `application_name`'s 63 bytes).
    package static func newInstanceID() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(UInt8.random(in: 0...255, using: &g), radix: 16) }.joined()
    }

    /// A client for the configuration, running for the duration of `body`, with the schema migrated first.
    package static func withStore<T: Sendable>(
        _ configuration: PostgresClient.Configuration, secrets: SecretBox,
        logger: Logger = Logger(label: "vpnaas.postgres"),
        _ body: (PostgresStore) async throws -> T
    ) async throws -> T {
        let instanceID = newInstanceID()
        var named = configuration
        named.options.additionalStartupParameters.append(("application_name", instanceID))
        let client = PostgresClient(configuration: named, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let store = PostgresStore(client: client, instanceID: instanceID, secrets: secrets, logger: logger)
            try await store.migrate()
            return try await body(store)
        }
    }

    /// Reads see one snapshot (REPEATABLE READ, read only): they decide nothing, so they need no SERIALIZABLE
    /// predicate locks — which would otherwise make concurrent writers fail and retry against mere readers.
    package func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) async throws -> T) async throws -> T {
        try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// A SERIALIZABLE transaction; the change triggers NOTIFY `changesChannel` from within its statements, and
    /// PostgreSQL delivers that to every listener when (and only if) the transaction commits — the cross-replica
    /// form of the in-process change feed.
    package func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) async throws -> T) async throws -> T {
        try await transaction("BEGIN ISOLATION LEVEL SERIALIZABLE", body)
    }

    /// One statement without a transaction around it: READ COMMITTED, its own snapshot, one round trip.
    package func readStatement<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) async throws -> T) async throws -> T {
        try await statementRead(body)
    }

    /// Statements without BEGIN/COMMIT around them (see `SQLListing.statementRead`): READ COMMITTED, each its
    /// own snapshot and, for a write, its own commit; never a serialization failure.
    func statementRead<T: Sendable>(_ body: @escaping @Sendable (SQLAccess) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in
                try await body(SQLAccess(executor: PostgresExecutor(connection: connection, logger: logger), secrets: secrets))
            }
        } catch let error as PSQLError {
            throw StoreError(postgres: error)
        }
    }

    /// Each statement commits on its own (no BEGIN/COMMIT, READ COMMITTED): what the audit trail needs — an append
    /// and, now and then, a prune, neither of which depends on the other or on anything read. Its table has no
    /// change trigger, so nobody wakes for it.
    package func writeUnannounced<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) async throws -> T) async throws -> T {
        try await statementRead(body)
    }

    /// The channel writes are announced on.
    package static let changesChannel = "vpnaas_changes"

    /// Runs the body on one pooled connection inside `begin` … COMMIT, again on a serialization failure or deadlock.
    private func transaction<T: Sendable>(
        _ begin: String, _ body: @escaping @Sendable (SQLAccess) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await client.withConnection { connection in
                    let executor = PostgresExecutor(connection: connection, logger: logger)
                    _ = try await executor.execute(begin, [])
                    do {
                        let result = try await body(SQLAccess(executor: executor, secrets: secrets))
                        _ = try await executor.execute("COMMIT", [])
                        return result
                    } catch {
                        _ = try? await executor.execute("ROLLBACK", [])
                        throw error
                    }
                }
            } catch let error as PSQLError {
                let state = error.serverInfo?[.sqlState]
                if (state == "40001" || state == "40P01"), attempt < maxAttempts {
                    attempt += 1
                    // A short, growing, jittered pause lets the other transaction finish.
                    try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
                    continue
                }
                throw StoreError(postgres: error)
            }
        }
    }
}

extension StoreError {
    /// Constraint violations map by SQLSTATE as SQLite's extended codes do; the server's text stays in `cause`.
    init(postgres error: PSQLError) {
        let code: Code
        let message: String
        switch error.serverInfo?[.sqlState] {
        case "23505":
            (code, message) = (.uniqueViolation, "unique constraint violated")
        case "23503":
            (code, message) = (.foreignKeyViolation, "foreign key constraint violated")
        case "23514", "23502":
            (code, message) = (.checkViolation, "check constraint violated")
        case "40001", "40P01":
            (code, message) = (.transactionConflict, "the transaction kept conflicting with concurrent ones")
        default:
            (code, message) = (.other, "database error")
        }
        self.init(code: code, message: message, cause: error)
    }
}
