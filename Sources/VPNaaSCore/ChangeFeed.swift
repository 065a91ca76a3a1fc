import Synchronization
import VPNaaSStore

/// Wakes agents when desired state changes, so realisation never waits for a polling interval.
/// Each subscriber keeps at most one pending wake-up: changes that arrive while it is busy
/// coalesce into a single reconcile.
package final class ChangeFeed: Sendable {
    private struct State {
        var next = 0
        var subscribers: [Int: AsyncStream<Void>.Continuation] = [:]
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
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for continuation in subscribers { continuation.yield() }
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
