import GRDB

extension SQLiteStore {
    /// The network agents (one row per host, kept fresh by their reports) and which agent hosts each router:
    /// a NULL agent marks a router an admin took off its agent (the scheduler leaves it unhosted); a binding goes
    /// with its router or its agent (ON DELETE CASCADE: the agent's routers are then scheduled anew).
    static func registerAgentsMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("0010_network_agents") { db in
            try db.execute(sql: networkAgentsSQL)
        }
        migrator.registerMigration("0011_connection_runtime") { db in
            try db.execute(sql: connectionRuntimeSQL)
        }
    }

    /// Remote agents' runtime figures, one row per connection (the host that last sent it), so every API replica
    /// answers `/status` and `/metrics` from them. Shared with PostgreSQL (`INTEGER` → `BIGINT`).
    static let connectionRuntimeSQL = """
        CREATE TABLE vpn_connection_runtime (
            connection_id TEXT PRIMARY KEY NOT NULL REFERENCES vpn_ipsec_site_connections (id) ON DELETE CASCADE,
            host TEXT NOT NULL,
            entry TEXT NOT NULL,
            updated_ms INTEGER NOT NULL
        );
        CREATE INDEX vpn_connection_runtime_host ON vpn_connection_runtime (host);
        """

    /// Shared with PostgreSQL, whose migration spells `INTEGER` as `BIGINT`.
    static let networkAgentsSQL = """
        CREATE TABLE network_agents (
            id TEXT PRIMARY KEY NOT NULL,
            host TEXT NOT NULL UNIQUE CHECK (length(host) BETWEEN 1 AND 255),
            admin_state_up INTEGER NOT NULL CHECK (admin_state_up IN (0, 1)),
            description TEXT NOT NULL CHECK (length(description) <= 255),
            configurations TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            started_at INTEGER NOT NULL,
            heartbeat_at INTEGER NOT NULL
        );
        CREATE TABLE router_agent_bindings (
            router_id TEXT PRIMARY KEY NOT NULL REFERENCES routers (id) ON DELETE CASCADE,
            agent_id TEXT REFERENCES network_agents (id) ON DELETE CASCADE
        );
        CREATE INDEX router_agent_bindings_agent ON router_agent_bindings (agent_id);
        """
}
