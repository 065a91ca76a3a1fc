
import VPNaaSDomain

extension SQLAccess {
    // MARK: - Quotas

    func quotaOverrides(projectID: String) async throws -> [QuotaResource: Int] {
        var out: [QuotaResource: Int] = [:]
        for row in try await query("SELECT resource, quota_limit FROM quotas WHERE project_id = ?", [projectID])
        {
            if let resource = QuotaResource(rawValue: row["resource"]) { out[resource] = row["quota_limit"] }
        }
        return out
    }

    func quotaOverrides() async throws -> [String: [QuotaResource: Int]] {
        var out: [String: [QuotaResource: Int]] = [:]
        for row in try await query("SELECT project_id, resource, quota_limit FROM quotas", []) {
            if let resource = QuotaResource(rawValue: row["resource"]) {
                out[row["project_id"], default: [:]][resource] = row["quota_limit"]
            }
        }
        return out
    }

    func count(_ resource: QuotaResource, projectID: String) async throws -> Int {
        try await scalar(Int.self, "SELECT count(*) FROM \(Self.table(resource)) WHERE project_id = ?", [projectID]) ?? 0
    }

    func quotaUsage(_ resource: QuotaResource, projectID: String, defaultLimit: Int) async throws -> (limit: Int, used: Int?) {
        // The count (a scan of the project's rows) only when the limit is not unlimited.
        let rows = try await query(
            """
            SELECT q.quota_limit AS quota_limit,
                   CASE WHEN q.quota_limit < 0 THEN NULL
                        ELSE (SELECT count(*) FROM \(Self.table(resource)) WHERE project_id = ?) END AS used
            FROM (SELECT COALESCE((SELECT quota_limit FROM quotas WHERE project_id = ? AND resource = ?), ?) AS quota_limit) AS q
            """, [projectID, projectID, resource.rawValue, defaultLimit])
        guard let row = rows.first else { return (defaultLimit, nil) }
        let limit: Int = row["quota_limit"]
        let used: Int? = row["used"]
        return (limit, used)
    }

    /// Runs `INSERT INTO table (columns) VALUES (…)`; with a guard, `INSERT … SELECT … WHERE` the project is under
    /// its limit, so the quota check and the insert are one statement. Rows inserted (0: over quota).
    @discardableResult
    func insertRow(_ table: String, _ columns: [String], _ values: [any SQLBindable], within quota: QuotaGuard? = nil) async throws -> Int {
        let placeholders = Array(repeating: "?", count: values.count).joined(separator: ", ")
        guard let quota else {
            return try await run("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))", values)
        }
        return try await run(
            """
            INSERT INTO \(table) (\(columns.joined(separator: ", "))) SELECT \(placeholders)
            WHERE (SELECT CASE WHEN q.quota_limit < 0 THEN 1
                               WHEN (SELECT count(*) FROM \(Self.table(quota.resource)) WHERE project_id = ?) < q.quota_limit THEN 1
                               ELSE 0 END
                   FROM (SELECT COALESCE((SELECT quota_limit FROM quotas WHERE project_id = ? AND resource = ?), ?) AS quota_limit) AS q) = 1
            """, values + [quota.projectID, quota.projectID, quota.resource.rawValue, quota.defaultLimit])
    }

    /// Table names are constants of this file, never input.
    private static func table(_ resource: QuotaResource) -> String {
        switch resource {
        case .network: "networks"
        case .subnet: "subnets"
        case .port: "ports"
        case .router: "routers"
        case .ikePolicy: "vpn_ikepolicies"
        case .ipsecPolicy: "vpn_ipsecpolicies"
        case .vpnService: "vpn_services"
        case .endpointGroup: "vpn_endpoint_groups"
        case .ipsecSiteConnection: "vpn_ipsec_site_connections"
        }
    }

    func setQuota(projectID: String, _ resource: QuotaResource, limit: Int) async throws {
        try await run("""
                INSERT INTO quotas (project_id, resource, quota_limit) VALUES (?, ?, ?)
                ON CONFLICT (project_id, resource) DO UPDATE SET quota_limit = excluded.quota_limit
                """, [projectID, resource.rawValue, limit])
    }

    func deleteQuotas(projectID: String) async throws {
        try await run("DELETE FROM quotas WHERE project_id = ?", [projectID])
    }

    // MARK: - Audit trail

    func insert(_ e: AuditEvent) async throws {
        try await run("""
                INSERT INTO audit_events (id, time_ms, project_id, user_id, request_id, method, path, resource_type,
                  resource_id, action, status, attributes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                e.id, e.timeMillis, e.projectID, e.userID, e.requestID, e.method, e.path, e.resourceType, e.resourceID,
                e.action, e.status, try Columns.json(e.attributes),
            ])
    }

    func pruneAuditEvents(keep: Int, olderThanMillis cutoff: Int64) async throws {
        try await run("DELETE FROM audit_events WHERE time_ms < ?", [cutoff])
        try await run("""
                DELETE FROM audit_events WHERE seq <= (SELECT seq FROM audit_events ORDER BY seq DESC LIMIT 1 OFFSET ?)
                """, [max(keep, 0)])
    }

    private static let auditColumns: [String: String] = [
        "resource_id": "resource_id", "resource_type": "resource_type", "project_id": "project_id",
        "user_id": "user_id", "request_id": "request_id", "action": "action", "method": "method",
    ]

    func auditEvents(_ query: AuditQuery) async throws -> [AuditEvent] {
        var sql = "SELECT * FROM audit_events WHERE 1 = 1"
        var arguments: [any SQLBindable] = []
        for key in query.filters.keys.sorted() {
            guard let column = Self.auditColumns[key], let values = query.filters[key], !values.isEmpty else { continue }
            sql += " AND \(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ", ")))"
            arguments += values.map { $0 as any SQLBindable }
        }
        if let marker = query.marker {
            // An unknown marker pages from the start, as Neutron's sqlalchemy pager does for a missing row.
            sql += " AND seq \(query.descending ? "<" : ">") coalesce((SELECT seq FROM audit_events WHERE id = ?), \(query.descending ? "9223372036854775807" : "0"))"
            arguments += [marker]
        }
        sql += " ORDER BY seq \(query.descending ? "DESC" : "ASC")"
        if let limit = query.limit {
            sql += " LIMIT ?"
            arguments += [limit]
        }
        return try await all(sql, arguments){ row in
            AuditEvent(
                id: row["id"], timeMillis: row["time_ms"], projectID: row["project_id"], userID: row["user_id"],
                requestID: row["request_id"], method: row["method"], path: row["path"], resourceType: row["resource_type"],
                resourceID: row["resource_id"], action: row["action"], status: row["status"],
                attributes: try Columns.strings(row["attributes"]))
        }
    }
}
