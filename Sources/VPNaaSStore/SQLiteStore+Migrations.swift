import GRDB

extension SQLiteStore {
    /// Append-only: a migration never changes once it has shipped; add a new one instead.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("0001_core_l3") { db in
            try db.execute(
                sql: """
                    CREATE TABLE networks (
                        id TEXT PRIMARY KEY NOT NULL,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        admin_state_up INTEGER NOT NULL CHECK (admin_state_up IN (0, 1)),
                        shared INTEGER NOT NULL CHECK (shared IN (0, 1)),
                        external INTEGER NOT NULL CHECK (external IN (0, 1)),
                        network_type TEXT NOT NULL CHECK (network_type IN ('flat', 'vlan', 'vxlan')),
                        physical_network TEXT,
                        segmentation_id INTEGER,
                        mtu INTEGER NOT NULL CHECK (mtu >= 0),
                        port_security_enabled INTEGER NOT NULL CHECK (port_security_enabled IN (0, 1)),
                        vlan_transparent INTEGER NOT NULL CHECK (vlan_transparent IN (0, 1)),
                        qinq INTEGER NOT NULL CHECK (qinq IN (0, 1)),
                        is_default INTEGER NOT NULL CHECK (is_default IN (0, 1)),
                        availability_zone_hints TEXT NOT NULL,
                        status TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        revision_number INTEGER NOT NULL,
                        CHECK (network_type <> 'flat' OR (physical_network IS NOT NULL AND segmentation_id IS NULL)),
                        CHECK (network_type <> 'vlan' OR (physical_network IS NOT NULL AND segmentation_id BETWEEN 1 AND 4094)),
                        CHECK (network_type <> 'vxlan' OR (physical_network IS NULL AND segmentation_id IS NOT NULL))
                    );
                    CREATE UNIQUE INDEX networks_flat_physnet ON networks (physical_network) WHERE network_type = 'flat';
                    CREATE UNIQUE INDEX networks_segment ON networks (network_type, ifnull(physical_network, ''), segmentation_id)
                        WHERE segmentation_id IS NOT NULL;

                    CREATE TABLE subnets (
                        id TEXT PRIMARY KEY NOT NULL,
                        network_id TEXT NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        ip_version INTEGER NOT NULL CHECK (ip_version IN (4, 6)),
                        cidr TEXT NOT NULL,
                        gateway_ip TEXT,
                        enable_dhcp INTEGER NOT NULL CHECK (enable_dhcp IN (0, 1)),
                        ipv6_ra_mode TEXT CHECK (ipv6_ra_mode IN ('slaac', 'dhcpv6-stateful', 'dhcpv6-stateless')),
                        ipv6_address_mode TEXT CHECK (ipv6_address_mode IN ('slaac', 'dhcpv6-stateful', 'dhcpv6-stateless')),
                        allocation_pools TEXT NOT NULL,
                        dns_nameservers TEXT NOT NULL,
                        host_routes TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        revision_number INTEGER NOT NULL,
                        UNIQUE (network_id, cidr)
                    );
                    CREATE INDEX subnets_network ON subnets (network_id, created_at);

                    CREATE TABLE ports (
                        id TEXT PRIMARY KEY NOT NULL,
                        network_id TEXT NOT NULL REFERENCES networks (id) ON DELETE RESTRICT,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        mac_address TEXT NOT NULL,
                        admin_state_up INTEGER NOT NULL CHECK (admin_state_up IN (0, 1)),
                        status TEXT NOT NULL,
                        device_id TEXT NOT NULL,
                        device_owner TEXT NOT NULL,
                        port_security_enabled INTEGER NOT NULL CHECK (port_security_enabled IN (0, 1)),
                        binding_host_id TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        revision_number INTEGER NOT NULL,
                        UNIQUE (network_id, mac_address)
                    );
                    CREATE INDEX ports_device ON ports (device_id);

                    CREATE TABLE ip_allocations (
                        port_id TEXT NOT NULL REFERENCES ports (id) ON DELETE CASCADE,
                        subnet_id TEXT NOT NULL REFERENCES subnets (id) ON DELETE RESTRICT,
                        ip_address TEXT NOT NULL,
                        position INTEGER NOT NULL,
                        PRIMARY KEY (subnet_id, ip_address)
                    );
                    CREATE INDEX ip_allocations_port ON ip_allocations (port_id);

                    CREATE TABLE routers (
                        id TEXT PRIMARY KEY NOT NULL,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        admin_state_up INTEGER NOT NULL CHECK (admin_state_up IN (0, 1)),
                        status TEXT NOT NULL,
                        gw_network_id TEXT REFERENCES networks (id) ON DELETE RESTRICT,
                        gw_port_id TEXT REFERENCES ports (id) ON DELETE RESTRICT,
                        enable_snat INTEGER NOT NULL CHECK (enable_snat IN (0, 1)),
                        routes TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        revision_number INTEGER NOT NULL,
                        CHECK ((gw_network_id IS NULL) = (gw_port_id IS NULL))
                    );
                    """)
        }
        registerVPNMigration(&migrator)
        registerIdentityMigration(&migrator)
        registerQuotaMigration(&migrator)
        registerAuditMigration(&migrator)
        registerTokenRevocationMigration(&migrator)
        registerLegacyCryptoMigration(&migrator)
        registerEventsMigration(&migrator)
        registerListIndexMigration(&migrator)
        registerAgentsMigration(&migrator)
        return migrator
    }
}

extension SQLiteStore {
    /// The VPNaaS tables. Connections hold their policies, service and groups with RESTRICT so the
    /// "in use" rules hold even if a use-case forgot them; the PSK is stored sealed (`SecretBox`).
    static func registerVPNMigration(_ migrator: inout DatabaseMigrator) {
        let auth = "'sha256', 'sha384', 'sha512', 'aes-xcbc', 'aes-cmac'"
        let enc = ["aes-128", "aes-192", "aes-256"].flatMap { base in
            [base, base + "-ctr"] + ["ccm", "gcm"].flatMap { m in ["8", "12", "16"].map { "\(base)-\(m)-\($0)" } }
        }.map { "'\($0)'" }.joined(separator: ", ")
        let pfs = (["group2", "group5"] + (14...31).map { "group\($0)" }).map { "'\($0)'" }.joined(separator: ", ")
        let status = "'ACTIVE', 'DOWN', 'BUILD', 'ERROR', 'PENDING_CREATE', 'PENDING_UPDATE', 'PENDING_DELETE'"
        migrator.registerMigration("0002_vpnaas") { db in
            try db.execute(
                sql: """
                    CREATE TABLE vpn_ikepolicies (
                        id TEXT PRIMARY KEY NOT NULL,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        auth_algorithm TEXT NOT NULL CHECK (auth_algorithm IN (\(auth))),
                        encryption_algorithm TEXT NOT NULL CHECK (encryption_algorithm IN (\(enc))),
                        phase1_negotiation_mode TEXT NOT NULL CHECK (phase1_negotiation_mode IN ('main', 'aggressive')),
                        lifetime_units TEXT NOT NULL CHECK (lifetime_units IN ('seconds')),
                        lifetime_value INTEGER NOT NULL CHECK (lifetime_value >= 60),
                        ike_version TEXT NOT NULL CHECK (ike_version IN ('v1', 'v2')),
                        pfs TEXT NOT NULL CHECK (pfs IN (\(pfs)))
                    );

                    CREATE TABLE vpn_ipsecpolicies (
                        id TEXT PRIMARY KEY NOT NULL,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        transform_protocol TEXT NOT NULL CHECK (transform_protocol IN ('esp', 'ah', 'ah-esp')),
                        auth_algorithm TEXT NOT NULL CHECK (auth_algorithm IN (\(auth))),
                        encryption_algorithm TEXT NOT NULL CHECK (encryption_algorithm IN (\(enc))),
                        encapsulation_mode TEXT NOT NULL CHECK (encapsulation_mode IN ('tunnel', 'transport')),
                        lifetime_units TEXT NOT NULL CHECK (lifetime_units IN ('seconds')),
                        lifetime_value INTEGER NOT NULL CHECK (lifetime_value >= 60),
                        pfs TEXT NOT NULL CHECK (pfs IN (\(pfs)))
                    );

                    CREATE TABLE vpn_services (
                        id TEXT PRIMARY KEY NOT NULL,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        router_id TEXT NOT NULL REFERENCES routers (id) ON DELETE RESTRICT,
                        subnet_id TEXT REFERENCES subnets (id) ON DELETE RESTRICT,
                        admin_state_up INTEGER NOT NULL CHECK (admin_state_up IN (0, 1)),
                        external_v4_ip TEXT,
                        external_v6_ip TEXT,
                        status TEXT NOT NULL CHECK (status IN (\(status)))
                    );
                    CREATE INDEX vpn_services_router ON vpn_services (router_id);

                    CREATE TABLE vpn_endpoint_groups (
                        id TEXT PRIMARY KEY NOT NULL,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        type TEXT NOT NULL CHECK (type IN ('subnet', 'cidr', 'network', 'router', 'vlan')),
                        endpoints TEXT NOT NULL
                    );

                    CREATE TABLE vpn_ipsec_site_connections (
                        id TEXT PRIMARY KEY NOT NULL,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        vpnservice_id TEXT NOT NULL REFERENCES vpn_services (id) ON DELETE RESTRICT,
                        ikepolicy_id TEXT NOT NULL REFERENCES vpn_ikepolicies (id) ON DELETE RESTRICT,
                        ipsecpolicy_id TEXT NOT NULL REFERENCES vpn_ipsecpolicies (id) ON DELETE RESTRICT,
                        local_ep_group_id TEXT REFERENCES vpn_endpoint_groups (id) ON DELETE RESTRICT,
                        peer_ep_group_id TEXT REFERENCES vpn_endpoint_groups (id) ON DELETE RESTRICT,
                        peer_address TEXT NOT NULL,
                        peer_id TEXT NOT NULL,
                        local_id TEXT NOT NULL,
                        psk_sealed BLOB NOT NULL,
                        peer_cidrs TEXT NOT NULL,
                        mtu INTEGER NOT NULL CHECK (mtu >= 0),
                        initiator TEXT NOT NULL CHECK (initiator IN ('bi-directional', 'response-only')),
                        dpd_action TEXT NOT NULL CHECK (dpd_action IN ('clear', 'disabled', 'hold', 'restart', 'restart-by-peer')),
                        dpd_interval INTEGER NOT NULL CHECK (dpd_interval >= 0),
                        dpd_timeout INTEGER NOT NULL CHECK (dpd_timeout > dpd_interval),
                        admin_state_up INTEGER NOT NULL CHECK (admin_state_up IN (0, 1)),
                        status TEXT NOT NULL CHECK (status IN (\(status)))
                    );
                    CREATE INDEX vpn_connections_service ON vpn_ipsec_site_connections (vpnservice_id);
                    """)
        }
    }
}
