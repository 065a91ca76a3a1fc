import Logging
import VPNaaSDomain
import VPNaaSStore

/// Records every successful write and serves the trail to admins. Retention is enforced on every
/// insert, so the table never outgrows its bounds.
package struct AuditTrail: Sendable {
    package let store: any Store
    package let retention: AuditRetention

    package init(store: any Store, retention: AuditRetention = .init()) {
        self.store = store
        self.retention = retention
    }

    /// Stores the event, prunes beyond the retention bounds, and logs one structured line.
    package func record(_ event: AuditEvent, logger: Logger) async throws {
        let retention = retention
        try await store.write { tx in
            try await tx.insert(event)
            try await tx.pruneAuditEvents(
                keep: retention.maxEvents, olderThanMillis: event.timeMillis - retention.maxAgeSeconds * 1000)
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
