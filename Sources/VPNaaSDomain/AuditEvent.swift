/// One successful write, as operators need to answer "who changed this, when": never values,
/// only the names of the attributes the request carried (so no PSK or password can leak).
package struct AuditEvent: Sendable, Equatable {
    package var id: String
    /// When the write was answered, in milliseconds since the epoch (ordering within a second matters).
    package var timeMillis: Int64
    /// The project the caller acted in.
    package var projectID: String
    package var userID: String?
    /// `X-OpenStack-Request-ID` of the answer.
    package var requestID: String
    package var method: String
    package var path: String
    /// `network`, `ipsec_site_connection`, `project`, `role_assignment`, `quota`…
    package var resourceType: String
    package var resourceID: String?
    /// `create`, `update`, `delete`, or an action's name (`add_router_interface`).
    package var action: String
    package var status: Int
    /// Names of the attributes the request set, sorted.
    package var attributes: [String]

    package init(
        id: String, timeMillis: Int64, projectID: String, userID: String?, requestID: String, method: String, path: String,
        resourceType: String, resourceID: String?, action: String, status: Int, attributes: [String]
    ) {
        self.id = id
        self.timeMillis = timeMillis
        self.projectID = projectID
        self.userID = userID
        self.requestID = requestID
        self.method = method
        self.path = path
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.action = action
        self.status = status
        self.attributes = attributes
    }

    /// Attributes `GET /v2.0/audit-events` can filter on.
    package static let filterable: Set<String> = [
        "resource_id", "resource_type", "project_id", "user_id", "request_id", "action", "method",
    ]
}

/// Which events to list: equality filters (values of one key are alternatives), then a page.
package struct AuditQuery: Sendable, Equatable {
    package var filters: [String: [String]]
    /// The event after which (or before which, when descending) the page starts.
    package var marker: String?
    package var limit: Int?
    package var descending: Bool

    package init(filters: [String: [String]] = [:], marker: String? = nil, limit: Int? = nil, descending: Bool = false) {
        self.filters = filters
        self.marker = marker
        self.limit = limit
        self.descending = descending
    }
}

/// How long the trail is kept: whichever bound is hit first prunes the oldest events.
package struct AuditRetention: Sendable, Equatable {
    package var maxEvents: Int
    package var maxAgeSeconds: Int64

    package init(maxEvents: Int = 100_000, maxAgeSeconds: Int64 = 90 * 86_400) {
        self.maxEvents = maxEvents
        self.maxAgeSeconds = maxAgeSeconds
    }
}
