import GRDB

extension SQLiteStore {
    /// Per-project quota overrides (absent row = the configured default), and indexes so counting a
    /// project's objects inside each create transaction stays cheap as tables grow.
    static func registerQuotaMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("0004_quotas") { db in
            try db.execute(
                sql: """
                    CREATE TABLE quotas (
                        project_id TEXT NOT NULL CHECK (length(project_id) BETWEEN 1 AND 255),
                        resource TEXT NOT NULL CHECK (length(resource) BETWEEN 1 AND 255),
                        quota_limit INTEGER NOT NULL CHECK (quota_limit >= -1),
                        PRIMARY KEY (project_id, resource)
                    );
                    CREATE INDEX IF NOT EXISTS networks_project ON networks (project_id);
                    CREATE INDEX IF NOT EXISTS subnets_project ON subnets (project_id);
                    CREATE INDEX IF NOT EXISTS ports_project ON ports (project_id);
                    CREATE INDEX IF NOT EXISTS routers_project ON routers (project_id);
                    CREATE INDEX IF NOT EXISTS vpn_ikepolicies_project ON vpn_ikepolicies (project_id);
                    CREATE INDEX IF NOT EXISTS vpn_ipsecpolicies_project ON vpn_ipsecpolicies (project_id);
                    CREATE INDEX IF NOT EXISTS vpn_services_project ON vpn_services (project_id);
                    CREATE INDEX IF NOT EXISTS vpn_endpoint_groups_project ON vpn_endpoint_groups (project_id);
                    CREATE INDEX IF NOT EXISTS vpn_ipsec_site_connections_project ON vpn_ipsec_site_connections (project_id);
                    """)
        }
    }

    /// The audit trail: one row per successful write, `seq` giving the order (and cheap pruning).
    static func registerAuditMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("0005_audit_events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit_events (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        time_ms INTEGER NOT NULL,
                        project_id TEXT NOT NULL,
                        user_id TEXT,
                        request_id TEXT NOT NULL,
                        method TEXT NOT NULL,
                        path TEXT NOT NULL,
                        resource_type TEXT NOT NULL,
                        resource_id TEXT,
                        action TEXT NOT NULL,
                        status INTEGER NOT NULL CHECK (status BETWEEN 200 AND 299),
                        attributes TEXT NOT NULL
                    );
                    CREATE INDEX audit_events_resource ON audit_events (resource_id, seq);
                    CREATE INDEX audit_events_project ON audit_events (project_id, seq);
                    CREATE INDEX audit_events_time ON audit_events (time_ms);
                    """)
        }
    }
}
