import VPNaaSDomain

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SQLAccess {
    // MARK: - Network agents and router bindings

    func networkAgents() async throws -> [NetworkAgent] {
        try await all("SELECT * FROM network_agents ORDER BY host", [], networkAgent(from:))
    }

    func networkAgent(_ id: NetworkAgent.ID) async throws -> NetworkAgent? {
        try await one("SELECT * FROM network_agents WHERE id = ?", [id], networkAgent(from:))
    }

    private func networkAgent(from row: SQLRow) throws -> NetworkAgent {
        let configurations = try JSONDecoder().decode([String: String].self, from: Data((row["configurations"] as String).utf8))
        return NetworkAgent(
            id: row["id"], host: row["host"], adminStateUp: row["admin_state_up"], description: row["description"],
            configurations: configurations, createdAt: Timestamp(secondsSinceEpoch: row["created_at"]),
            startedAt: Timestamp(secondsSinceEpoch: row["started_at"]), heartbeatAt: Timestamp(secondsSinceEpoch: row["heartbeat_at"]))
    }

    func upsert(_ a: NetworkAgent) async throws {
        let configurations = String(decoding: try JSONEncoder().encode(a.configurations), as: UTF8.self)
        try await run(
            """
            INSERT INTO network_agents (id, host, admin_state_up, description, configurations, created_at, started_at, heartbeat_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET admin_state_up = excluded.admin_state_up, description = excluded.description,
              configurations = excluded.configurations, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at
            """,
            [a.id, a.host, a.adminStateUp, a.description, configurations, a.createdAt.secondsSinceEpoch,
             a.startedAt.secondsSinceEpoch, a.heartbeatAt.secondsSinceEpoch])
    }

    func deleteNetworkAgent(_ id: NetworkAgent.ID) async throws {
        try requireChange(await run("DELETE FROM network_agents WHERE id = ?", [id]), "agent", id)
    }

    func routerBindings() async throws -> [Router.ID: NetworkAgent.ID?] {
        var out: [Router.ID: NetworkAgent.ID?] = [:]
        for row in try await query("SELECT router_id, agent_id FROM router_agent_bindings", []) {
            out[row["router_id"]] = .some(row["agent_id"] as String?)
        }
        return out
    }

    func bind(router: Router.ID, to agent: NetworkAgent.ID) async throws {
        try await run(
            """
            INSERT INTO router_agent_bindings (router_id, agent_id) VALUES (?, ?)
            ON CONFLICT (router_id) DO UPDATE SET agent_id = excluded.agent_id
            """, [router, agent])
    }

    func unbind(router: Router.ID) async throws {
        try await run(
            """
            INSERT INTO router_agent_bindings (router_id, agent_id) VALUES (?, NULL)
            ON CONFLICT (router_id) DO UPDATE SET agent_id = NULL
            """, [router])
    }

    func connectionRuntimes() async throws -> [ConnectionRuntimeRow] {
        try await all("SELECT connection_id, host, entry, updated_ms FROM vpn_connection_runtime", []) { row in
            ConnectionRuntimeRow(connectionID: row["connection_id"], host: row["host"], entry: row["entry"], updatedMillis: row["updated_ms"])
        }
    }

    func replaceConnectionRuntimes(host: String, _ entries: [IPsecSiteConnection.ID: String], updatedMillis: Int64) async throws {
        let stale = try await scalars(String.self, "SELECT connection_id FROM vpn_connection_runtime WHERE host = ?", [host])
            .filter { entries[$0] == nil }
        for id in stale { try await run("DELETE FROM vpn_connection_runtime WHERE connection_id = ? AND host = ?", [id, host]) }
        for (id, entry) in entries.sorted(by: { $0.key < $1.key }) {
            try await run(
                """
                INSERT INTO vpn_connection_runtime (connection_id, host, entry, updated_ms)
                SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM vpn_ipsec_site_connections WHERE id = ?)
                ON CONFLICT (connection_id) DO UPDATE SET host = excluded.host, entry = excluded.entry, updated_ms = excluded.updated_ms
                """, [id, host, entry, updatedMillis, id])
        }
    }
}
