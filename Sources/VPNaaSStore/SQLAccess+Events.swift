
import VPNaaSDomain

/// Rows of the connection event log (migration `0008_connection_events`).
extension SQLAccess {
    func connectionEvents(_ connectionID: IPsecSiteConnection.ID, olderThan marker: String?, limit: Int) async throws
        -> [ConnectionEvent]?
    {
        var before = Int64.max
        if let marker {
            guard
                let seq = try await scalar(Int64.self, "SELECT seq FROM vpn_connection_events WHERE id = ? AND connection_id = ?", [marker, connectionID])
            else { return nil }
            before = seq
        }
        return try await all("SELECT * FROM vpn_connection_events WHERE connection_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?", [connectionID, before, limit]){ row in
            ConnectionEvent(
                id: row["id"], connectionID: row["connection_id"], time: row["time_ms"],
                kind: ConnectionEvent.Kind(rawValue: row["type"]) ?? .failure, ikeState: row["ike_state"],
                childState: row["child_state"], failureReason: (row["failure_reason"] as String?).flatMap(FailureReason.init(rawValue:)),
                message: row["message"])
        }
    }

    func insert(_ events: [ConnectionEvent]) async throws {
        // Events of a connection deleted meanwhile are dropped, not a failed transaction.
        let sql = """
            INSERT INTO vpn_connection_events (id, connection_id, time_ms, type, ike_state, child_state, failure_reason, message)
            SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM vpn_ipsec_site_connections WHERE id = ?)
            """
        for e in events {
            try await run(sql, [
                e.id, e.connectionID, e.time, e.kind.rawValue, e.ikeState, e.childState, e.failureReason?.rawValue,
                String(e.message.prefix(2000)), e.connectionID,
            ])
        }
    }

    func pruneConnectionEvents(_ connectionIDs: Set<IPsecSiteConnection.ID>, keep: Int, olderThanMillis cutoff: Int64) async throws {
        try await run("DELETE FROM vpn_connection_events WHERE time_ms < ?", [cutoff])
        let sql = """
            DELETE FROM vpn_connection_events WHERE connection_id = ? AND seq <= (
              SELECT seq FROM vpn_connection_events WHERE connection_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)
            """
        for id in connectionIDs { try await run(sql, [id, id, keep]) }
    }
}
