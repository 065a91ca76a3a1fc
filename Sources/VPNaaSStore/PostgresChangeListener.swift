import Logging
import PostgresNIO
import ServiceLifecycle

/// Hears the writes of every other process on the same PostgreSQL database (`LISTEN vpnaas_changes` on one
/// pooled connection; its own store's writes are signalled in-process already) and calls `onChange` for each, so an agent wakes within milliseconds of a write made on another
/// API replica instead of at its next resync. A lost connection is re-established after a second; a write that
/// committed meanwhile is caught by the agent's periodic resync.
package struct PostgresChangeListener: Service {
    let client: PostgresClient
    let ownID: String
    let logger: Logger
    let onChange: @Sendable () -> Void

    package init(store: PostgresStore, logger: Logger, onChange: @escaping @Sendable () -> Void) {
        self.client = store.client
        self.ownID = store.instanceID
        self.logger = logger
        self.onChange = onChange
    }

    /// Listens until the service group shuts down (gracefully or by cancellation).
    package func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await listen() }
        } catch is CancellationError {
            return
        }
    }

    private func listen() async throws {
        var failing = false
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: PostgresStore.changesChannel) { notifications in
                        if failing { logger.notice("listening for database changes again") }
                        failing = false
                        // Announce a possible gap: what committed while not listening is picked up now.
                        onChange()
                        for try await n in notifications where n.payload != ownID { onChange() }
                    }
                }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                if !failing {
                    logger.warning("not listening for database changes; retrying every second", metadata: ["error": "\(String(describing: error))"])
                }
                failing = true
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
