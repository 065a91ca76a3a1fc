import GRDB

extension SQLiteStore {
    /// `0009_list_indexes`: what list queries filter and page on. Keyset pages order by `id` last, so the
    /// common filters are indexed together with `id` (`WHERE name = ? ORDER BY id LIMIT n` reads n index
    /// entries). Plain SQL that PostgreSQL accepts as written.
    static let listIndexStatements: [String] = {
        let vpn = ["vpn_ikepolicies", "vpn_ipsecpolicies", "vpn_services", "vpn_endpoint_groups", "vpn_ipsec_site_connections"]
        let core = ["networks", "subnets", "ports", "routers"]
        var sql: [String] = []
        for table in vpn + core {
            sql.append("CREATE INDEX \(table)_project_list ON \(table) (project_id, id)")
            sql.append("CREATE INDEX \(table)_name_list ON \(table) (name, id)")
        }
        for (table, column) in [
            ("vpn_services", "subnet_id"), ("vpn_services", "status"),
            ("vpn_ipsec_site_connections", "ikepolicy_id"), ("vpn_ipsec_site_connections", "ipsecpolicy_id"),
            ("vpn_ipsec_site_connections", "local_ep_group_id"), ("vpn_ipsec_site_connections", "peer_ep_group_id"),
            ("vpn_ipsec_site_connections", "status"), ("ports", "network_id"), ("ports", "status"),
            ("routers", "gw_network_id"), ("routers", "status"), ("networks", "status"),
        ] {
            sql.append("CREATE INDEX \(table)_\(column)_list ON \(table) (\(column), id)")
        }
        return sql
    }()

    static func registerListIndexMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("0009_list_indexes") { db in
            for statement in listIndexStatements { try db.execute(sql: statement) }
        }
    }
}
