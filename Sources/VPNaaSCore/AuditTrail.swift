import Logging
import Synchronization
import VPNaaSDomain
import VPNaaSStore

/// Records every successful write and serves the trail to admins. Retention is enforced on the first insert
/// and then on every `pruneEvery`-th one of this process: pruning on every insert made all concurrent writers
/// delete the same oldest rows over and over. The table so outgrows its bounds by less than `pruneEvery` events
/// per server process. Records are unannounced writes (on PostgreSQL plain statements, each its own commit):
/// nobody acts on them, and they cost a create no more than one round trip.
package struct AuditTrail: Sendable {
    package let store: any Store
    package let retention: AuditRetention
    /// One insert in this many also prunes.
    package let pruneEvery: Int
    private let inserts = Counter()

    package init(store: any Store, retention: AuditRetention = .init(), pruneEvery: Int = 64) {
        self.store = store
        self.retention = retention
        self.pruneEvery = max(1, pruneEvery)
    }

    /// Stores the event, prunes beyond the retention bounds when due, and logs one structured line.
    package func record(_ event: AuditEvent, logger: Logger) async throws {
        let retention = retention
        let prune = inserts.next() % pruneEvery == 0
        // Unannounced: an audit record changes nothing an agent or another replica's listener acts on.
        try await store.writeUnannounced { tx in
            try await tx.insert(event)
            if prune {
                try await tx.pruneAuditEvents(
                    keep: retention.maxEvents, olderThanMillis: event.timeMillis - retention.maxAgeSeconds * 1000)
            }
        }
        logger.info(
            "audit",
            metadata: [
                "audit.id": .string(event.id), "audit.action": .string(event.action),
                "audit.resource_type": .string(event.resourceType), "audit.resource_id": .string(event.resourceID ?? ""),
                "audit.attributes": .string(event.attributes.joined(separator: ",")), "audit.status": .stringConvertible(event.status),
                "http.method": .string(event.method), "http.path": .string(event.path), "project.id": .string(event.projectID),
                "user.id": .string(event.userID ?? ""), "request.id": .string(event.requestID),
            ])
    }

    /// `GET /v2.0/audit-events`: admins only.
    package func events(_ query: AuditQuery, _ identity: Identity) async throws -> [AuditEvent] {
        guard identity.isAdmin else { throw VPNaaSError.policyNotAuthorized(action: "get_audit_events") }
        return try await store.read { tx in try await tx.auditEvents(query) }
    }
}

/// How many events this process has recorded (for the prune cadence).
private final class Counter: Sendable {
    private let value = Mutex(0)

    /// The count before this call (0 first).
    func next() -> Int { value.withLock { v in defer { v += 1 }; return v } }
}
