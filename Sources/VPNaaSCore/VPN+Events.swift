import VPNaaSDomain
import VPNaaSStore

/// How long and how much of each connection's event log is kept (`event_retention_count`,
/// `event_retention_seconds`).
package struct EventRetention: Sendable, Equatable {
    /// Newest events kept per connection.
    package var count: Int
    /// Events older than this are dropped.
    package var maxAgeSeconds: Int64

    package static let `default` = EventRetention(count: 1000, maxAgeSeconds: 7 * 86400)

    package init(count: Int, maxAgeSeconds: Int64) {
        self.count = count
        self.maxAgeSeconds = maxAgeSeconds
    }
}

/// One page of a connection's events, newest first.
package struct EventPage: Sendable, Equatable {
    package var events: [ConnectionEvent]
    /// True when older events follow the last one.
    package var more: Bool
}

extension VPN {
    /// The event log of a connection the caller can see (another project's answers 404, as the connection does).
    /// - Parameters:
    ///   - limit: page size (Neutron-style `limit`), capped at 1000.
    ///   - marker: the last event id of the previous page.
    package func connectionEvents(
        _ id: IPsecSiteConnection.ID, _ identity: Identity, limit: Int?, marker: String?
    ) async throws -> EventPage {
        let size = min(max(limit ?? 1000, 1), 1000)
        return try await store.read { tx in
            _ = try await tx.visibleConnection(id, identity)
            guard let events = try await tx.connectionEvents(id, olderThan: marker, limit: size + 1) else {
                throw VPNaaSError.invalidAttribute("marker", reason: "'\(marker ?? "")' is not an event of connection \(id)")
            }
            return EventPage(events: Array(events.prefix(size)), more: events.count > size)
        }
    }

    /// Stores what an agent saw, then applies retention to the connections it touched.
    /// - Parameter nowMillis: Unix time in milliseconds, for the age cutoff.
    package func recordConnectionEvents(_ events: [ConnectionEvent], retention: EventRetention, nowMillis: Int64) async throws {
        guard !events.isEmpty else { return }
        try await store.write { tx in
            try await tx.insert(events)
            try await tx.pruneConnectionEvents(
                Set(events.map(\.connectionID)), keep: retention.count, olderThanMillis: nowMillis - retention.maxAgeSeconds * 1000)
        }
    }
}
