import VPNaaSDomain

extension AuditEvent {
    /// One entry of `GET /v2.0/audit-events`, in Neutron's style (snake_case, `project_id` and `tenant_id`).
    package var wire: JSONObject {
        [
            "id": .string(id), "time": .string(AuditEvent.isoTime(timeMillis)), "project_id": .string(projectID),
            "tenant_id": .string(projectID), "user_id": .string(userID), "request_id": .string(requestID),
            "method": .string(method), "path": .string(path), "resource_type": .string(resourceType),
            "resource_id": .string(resourceID), "action": .string(action), "status": .int(status),
            "attributes": .array(attributes.map(JSONValue.string)),
        ]
    }

    /// `2026-12-01T23:40:00.123Z`.
    static func isoTime(_ millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let fraction = millis - seconds * 1000
        let base = Timestamp(secondsSinceEpoch: seconds).description.dropLast()
        let digits = String(fraction)
        return base + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }
}

extension AuditQuery {
    /// From a list query: the filters as given, `marker`/`limit`, and `sort_dir=desc` for newest first.
    package init(_ query: ListQuery) {
        var filters: [String: [String]] = [:]
        for filter in query.filters { filters[filter.key, default: []] += filter.values }
        self.init(
            filters: filters, marker: query.marker, limit: query.limit,
            descending: query.sort.first.map { !$0.ascending } ?? false)
    }
}
