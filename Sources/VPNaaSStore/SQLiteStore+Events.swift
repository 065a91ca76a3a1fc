import GRDB
import VPNaaSDomain

/// Rows of the connection event log (migration `0008_connection_events`).
extension SQLiteAccess {
    func connectionEvents(_ connectionID: IPsecSiteConnection.ID, olderThan marker: String?, limit: Int) throws
        -> [ConnectionEvent]?
    {
        var before = Int64.max
        if let marker {
            guard
                let seq = try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT seq FROM vpn_connection_events WHERE id = ? AND connection_id = ?"),
                    arguments: [marker, connectionID])
            else { return nil }
            before = seq
        }
        return try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT * FROM vpn_connection_events WHERE connection_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?"),
            arguments: [connectionID, before, limit]
        ).map { row in
            ConnectionEvent(
                id: row["id"], connectionID: row["connection_id"], time: row["time_ms"],
                kind: ConnectionEvent.Kind(rawValue: row["type"]) ?? .failure, ikeState: row["ike_state"],
                childState: row["child_state"], failureReason: (row["failure_reason"] as String?).flatMap(FailureReason.init(rawValue:)),
                message: row["message"])
        }
    }

    func insert(_ events: [ConnectionEvent]) throws {
        // Events of a connection deleted meanwhile are dropped, not a failed transaction.
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO vpn_connection_events (id, connection_id, time_ms, type, ike_state, child_state, failure_reason, message)
                SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM vpn_ipsec_site_connections WHERE id = ?)
                """)
        for e in events {
            try statement.execute(arguments: [
                e.id, e.connectionID, e.time, e.kind.rawValue, e.ikeState, e.childState, e.failureReason?.rawValue,
                String(e.message.prefix(2000)), e.connectionID,
            ])
        }
    }

    func pruneConnectionEvents(_ connectionIDs: Set<IPsecSiteConnection.ID>, keep: Int, olderThanMillis cutoff: Int64) throws {
        try db.cachedStatement(sql: "DELETE FROM vpn_connection_events WHERE time_ms < ?").execute(arguments: [cutoff])
        let statement = try db.cachedStatement(
            sql: """
                DELETE FROM vpn_connection_events WHERE connection_id = ? AND seq <= (
                  SELECT seq FROM vpn_connection_events WHERE connection_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)
                """)
        for id in connectionIDs { try statement.execute(arguments: [id, id, keep]) }
    }
}
