import GRDB

extension SQLiteStore {
    /// `0008_connection_events`: each site connection's tunnel event log, newest first by `seq`. Events go
    /// with their connection (ON DELETE CASCADE); retention (count and age) is applied by the writer.
    static func registerEventsMigration(_ migrator: inout DatabaseMigrator) {
        let kinds = [
            "up", "down", "ike_up", "ike_down", "child_up", "child_down", "ike_rekey", "child_rekey", "dead_peer",
            "config_applied", "failure",
        ].map { "'\($0)'" }.joined(separator: ", ")
        let reasons = [
            "authentication_failed", "no_proposal_chosen", "ts_unacceptable", "peer_unreachable", "peer_id_mismatch",
            "dead_peer", "admin_down", "configuration_error",
        ].map { "'\($0)'" }.joined(separator: ", ")
        migrator.registerMigration("0008_connection_events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE vpn_connection_events (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        connection_id TEXT NOT NULL REFERENCES vpn_ipsec_site_connections (id) ON DELETE CASCADE,
                        time_ms INTEGER NOT NULL,
                        type TEXT NOT NULL CHECK (type IN (\(kinds))),
                        ike_state TEXT,
                        child_state TEXT,
                        failure_reason TEXT CHECK (failure_reason IS NULL OR failure_reason IN (\(reasons))),
                        message TEXT NOT NULL CHECK (length(message) <= 2000)
                    );
                    CREATE INDEX vpn_connection_events_by_connection ON vpn_connection_events (connection_id, seq);
                    CREATE INDEX vpn_connection_events_by_time ON vpn_connection_events (time_ms);
                    """)
        }
    }
}
