import GRDB
import VPNaaSDomain

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The embedded store: one SQLite file in WAL mode (GRDB `DatabasePool`), foreign keys on,
/// migrations applied when opened.
package struct SQLiteStore: Store {
    let writer: any DatabaseWriter
    let secrets: SecretBox

    /// Opens (creating if needed) the database file at `path` and migrates it; secrets are sealed with `secrets`.
    package init(path: String, secrets: SecretBox) throws {
        self.secrets = secrets
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        do {
            // Replicas starting together would each see a migration as pending and run it twice (GRDB reads
            // the applied list once, outside the migrations' transactions), and could race switching a fresh
            // file to WAL. Opening and migrating go one at a time, across processes.
            writer = try MigrationLock.holding(path + ".migrate-lock") {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try SQLiteStore.migrator.migrate(pool)
                return pool
            }
        } catch {
            throw StoreError(code: .other, message: "cannot open database at \(path)", cause: error)
        }
    }

    /// A private in-memory database (tests, throwaway runs).
    package init(inMemory: Void = (), secrets: SecretBox = .random()) throws {
        self.secrets = secrets
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        writer = try DatabaseQueue(configuration: configuration)
        try SQLiteStore.migrator.migrate(writer)
    }

    /// Names of the migrations applied, oldest first.
    package func appliedMigrations() async throws -> [String] {
        try await writer.read { db in try SQLiteStore.migrator.appliedMigrations(db) }
    }

    /// A read-only snapshot (a pool reader in WAL mode) pinned for the body; see `PinnedConnection`.
    package func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) async throws -> T) async throws -> T {
        let secrets = secrets
        let writer = writer
        return try await mapErrors {
            try await PinnedConnection.transaction(
                hold: { pin in try await writer.read { db in try pin.serve(db) } },
                body: { pin in try await body(SQLAccess(executor: SQLiteExecutor(pin: pin), secrets: secrets)) })
        }
    }

    /// One write transaction on the single writer connection (GRDB `write`), pinned for the body; see `PinnedConnection`.
    package func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) async throws -> T) async throws -> T {
        let secrets = secrets
        let writer = writer
        return try await mapErrors {
            try await PinnedConnection.transaction(
                hold: { pin in try await writer.write { db in try pin.serve(db) } },
                body: { pin in try await body(SQLAccess(executor: SQLiteExecutor(pin: pin), secrets: secrets)) })
        }
    }

    private func mapErrors<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as DatabaseError {
            throw StoreError(code: StoreError.Code(error), message: error.message ?? "database error", cause: error)
        }
    }
}

extension StoreError.Code {
    init(_ error: DatabaseError) {
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY: self = .uniqueViolation
        case .SQLITE_CONSTRAINT_FOREIGNKEY: self = .foreignKeyViolation
        case .SQLITE_CONSTRAINT_CHECK, .SQLITE_CONSTRAINT_NOTNULL: self = .checkViolation
        default:
            // A foreign-key failure detected at COMMIT only carries the primary code.
            if error.resultCode == .SQLITE_CONSTRAINT, (error.message ?? "").contains("FOREIGN KEY") {
                self = .foreignKeyViolation
            } else {
                self = .other
            }
        }
    }
}

