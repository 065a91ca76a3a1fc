import Synchronization
import VPNaaSStore

/// Wakes agents when desired state changes, so realisation never waits for a polling interval.
/// Each subscriber keeps at most one pending wake-up: changes that arrive while it is busy
/// coalesce into a single reconcile.
package final class ChangeFeed: Sendable {
    private struct State {
        var next = 0
        var subscribers: [Int: AsyncStream<Void>.Continuation] = [:]
        var version = 0
    }

    private let state = Mutex(State())

    package init() {}

    package func subscribe() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { s in
            s.next += 1
            s.subscribers[s.next] = continuation
            return s.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    package func signal() {
        let subscribers = state.withLock { s in
            s.version += 1
            return Array(s.subscribers.values)
        }
        for continuation in subscribers { continuation.yield() }
    }

    /// How many changes were signalled so far: a remote agent's long-poll waits for it to pass the value it saw.
    package var version: Int { state.withLock { $0.version } }

    /// Returns once a change after `version` is signalled, or when `timeout` passes (or the task is cancelled);
    /// the version then.
    package func waitForChange(after version: Int, timeout: Duration) async -> Int {
        let changes = subscribe()
        if self.version != version { return self.version }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in changes { return }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
        return self.version
    }
}

/// A store that signals a `ChangeFeed` after every committed write.
package struct NotifyingStore: Store {
    package let base: any Store
    package let feed: ChangeFeed

    package init(base: any Store, feed: ChangeFeed) {
        self.base = base
        self.feed = feed
    }

    package func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) async throws -> T) async throws -> T {
        try await base.read(body)
    }

    package func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) async throws -> T) async throws -> T {
        let result = try await base.write(body)
        feed.signal()
        return result
    }

    package func writeUnannounced<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) async throws -> T) async throws -> T {
        try await base.writeUnannounced(body)
    }

    package func readStatement<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) async throws -> T) async throws -> T {
        try await base.readStatement(body)
    }

}
