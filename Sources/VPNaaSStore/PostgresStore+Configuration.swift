import Logging
import PostgresNIO

extension DatabaseURL.Postgres {
    /// postgres-nio's client configuration: unix socket or plain TCP (TLS is not configured here).
    package var clientConfiguration: PostgresClient.Configuration {
        if let socketPath {
            return .init(unixSocketPath: socketPath, username: user, password: password, database: database)
        }
        return .init(host: host ?? "localhost", port: port, username: user, password: password, database: database, tls: .disable)
    }
}

extension PostgresStore {
    /// For tests and tooling: a fresh database on the server `admin` points at, migrated, for the duration of
    /// `body`, then dropped (also when `body` throws).
    package static func withScratchDatabase<T: Sendable>(
        admin: DatabaseURL.Postgres, secrets: SecretBox = .random(), logger: Logger = Logger(label: "vpnaas.postgres"),
        _ body: (PostgresStore) async throws -> T
    ) async throws -> T {
        let name = "vpnaas_scratch_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try await adminCommand(admin, "CREATE DATABASE \(name)", logger: logger)
        var scratch = admin
        scratch.database = name
        // Tests run side by side, each on its own database: keep each pool small.
        var configuration = scratch.clientConfiguration
        configuration.options.maximumConnections = 4
        let result: Result<T, any Error>
        do {
            result = .success(try await withStore(configuration, secrets: secrets, logger: logger, body))
        } catch {
            result = .failure(error)
        }
        try await adminCommand(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)", logger: logger)
        return try result.get()
    }

    private static func adminCommand(_ admin: DatabaseURL.Postgres, _ sql: String, logger: Logger) async throws {
        let client = PostgresClient(configuration: admin.clientConfiguration, backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.withConnection { connection in
                _ = try await PostgresExecutor(connection: connection, logger: logger).execute(sql, [])
            }
        }
    }
}
