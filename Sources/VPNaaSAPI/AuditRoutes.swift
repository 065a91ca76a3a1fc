import Hummingbird
import VPNaaSCore
import VPNaaSDomain
import VPNaaSWire

/// `GET /v2.0/audit-events?resource_id=&project_id=&limit=&marker=`: the trail, admins only, with
/// Neutron's list conventions (filters, `fields=`, `limit`/`marker` and `audit_events_links`).
struct AuditRoutes {
    let trail: AuditTrail

    /// Sorting is by time only; `time` is no filter.
    static let queryable = AuditEvent.filterable.union(["time"])

    func register(on v2: RouterGroup<APIRequestContext>) {
        let trail = trail
        v2.get("audit-events") { request, context in
            let query = try ListQuery(items: QueryString.items(request.uri.query), filterable: Self.queryable)
            if query.filters.contains(where: { $0.key == "time" }) {
                throw VPNaaSError.badRequest("['time'] is invalid attribute for filtering")
            }
            var page = AuditQuery(query)
            // One more than asked tells whether a next page exists.
            page.limit = query.limit.map { $0 + 1 }
            let events = try await trail.events(page, context.identity).map(\.wire)
            let full = query.limit.map { events.count > $0 } ?? false
            let shown = query.limit.map { Array(events.prefix($0)) } ?? events
            let projected = query.fields.isEmpty ? shown : shown.map { $0.selecting(Set(query.fields)) }
            var body: JSONObject = ["audit_events": .array(projected.map(JSONValue.object))]
            if let limit = query.limit {
                body["audit_events_links"] = .array(
                    PageLinks.links(request: request, limit: limit, page: shown, full: full, marker: query.marker))
            }
            return JSONResponse.make(body)
        }
    }
}
