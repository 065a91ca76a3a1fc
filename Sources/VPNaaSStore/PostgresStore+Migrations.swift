import Foundation
import Logging
import PostgresNIO

/// PostgreSQL's versions of migrations 0001–0008: the same names, tables, columns and constraints as
/// `SQLiteStore.migrator`, in PostgreSQL's types (BIGINT for SQLite's INTEGER, BYTEA for BLOB, identity columns
/// for AUTOINCREMENT, and a `seq` identity on the core tables where SQLite orders by `rowid`). Booleans stay
/// integers 0/1 with the same CHECKs, so both backends bind and read them alike. Append-only, as SQLite's.
/// Column CHECKs carry PostgreSQL's default names (`<table>_<column>_check`), which 0007 replaces.
extension PostgresStore {
    private static let auth = "'sha256', 'sha384', 'sha512', 'aes-xcbc', 'aes-cmac'"
    private static let enc = ["aes-128", "aes-192", "aes-256"].flatMap { base in
        [base, base + "-ctr"] + ["ccm", "gcm"].flatMap { m in ["8", "12", "16"].map { "\(base)-\(m)-\($0)" } }
    }.map { "'\($0)'" }.joined(separator: ", ")
    private static let legacyAuth = "'sha1', " + auth
    private static let legacyEnc = "'3des', " + enc
    private static let pfs = (["group2", "group5"] + (14...31).map { "group\($0)" }).map { "'\($0)'" }.joined(separator: ", ")
    private static let status = "'ACTIVE', 'DOWN', 'BUILD', 'ERROR', 'PENDING_CREATE', 'PENDING_UPDATE', 'PENDING_DELETE'"
    private static let kinds = [
        "up", "down", "ike_up", "ike_down", "child_up", "child_down", "ike_rekey", "child_rekey", "dead_peer",
        "config_applied", "failure",
    ].map { "'\($0)'" }.joined(separator: ", ")
    private static let reasons = [
        "authentication_failed", "no_proposal_chosen", "ts_unacceptable", "peer_unreachable", "peer_id_mismatch",
        "dead_peer", "admin_down", "configuration_error",
    ].map { "'\($0)'" }.joined(separator: ", ")

    /// Name and SQL (statements separated by `;` at line ends) of each migration, oldest first.
    static let migrations: [(name: String, sql: String)] = [
            ("0001_core_l3", """
                    CREATE TABLE networks (
                        id TEXT PRIMARY KEY NOT NULL,
                        seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        admin_state_up BIGINT NOT NULL CHECK (admin_state_up IN (0, 1)),
                        shared BIGINT NOT NULL CHECK (shared IN (0, 1)),
                        external BIGINT NOT NULL CHECK (external IN (0, 1)),
                        network_type TEXT NOT NULL CHECK (network_type IN ('flat', 'vlan', 'vxlan')),
                        physical_network TEXT,
                        segmentation_id BIGINT,
                        mtu BIGINT NOT NULL CHECK (mtu >= 0),
                        port_security_enabled BIGINT NOT NULL CHECK (port_security_enabled IN (0, 1)),
                        vlan_transparent BIGINT NOT NULL CHECK (vlan_transparent IN (0, 1)),
                        qinq BIGINT NOT NULL CHECK (qinq IN (0, 1)),
                        is_default BIGINT NOT NULL CHECK (is_default IN (0, 1)),
                        availability_zone_hints TEXT NOT NULL,
                        status TEXT NOT NULL,
                        created_at BIGINT NOT NULL,
                        updated_at BIGINT NOT NULL,
                        revision_number BIGINT NOT NULL,
                        CHECK (network_type <> 'flat' OR (physical_network IS NOT NULL AND segmentation_id IS NULL)),
                        CHECK (network_type <> 'vlan' OR (physical_network IS NOT NULL AND segmentation_id BETWEEN 1 AND 4094)),
                        CHECK (network_type <> 'vxlan' OR (physical_network IS NULL AND segmentation_id IS NOT NULL))
                    );
                    CREATE UNIQUE INDEX networks_flat_physnet ON networks (physical_network) WHERE network_type = 'flat';
                    CREATE UNIQUE INDEX networks_segment ON networks (network_type, coalesce(physical_network, ''), segmentation_id)
                        WHERE segmentation_id IS NOT NULL;

                    CREATE TABLE subnets (
                        id TEXT PRIMARY KEY NOT NULL,
                        seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
                        network_id TEXT NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        ip_version BIGINT NOT NULL CHECK (ip_version IN (4, 6)),
                        cidr TEXT NOT NULL,
                        gateway_ip TEXT,
                        enable_dhcp BIGINT NOT NULL CHECK (enable_dhcp IN (0, 1)),
                        ipv6_ra_mode TEXT CHECK (ipv6_ra_mode IN ('slaac', 'dhcpv6-stateful', 'dhcpv6-stateless')),
                        ipv6_address_mode TEXT CHECK (ipv6_address_mode IN ('slaac', 'dhcpv6-stateful', 'dhcpv6-stateless')),
                        allocation_pools TEXT NOT NULL,
                        dns_nameservers TEXT NOT NULL,
                        host_routes TEXT NOT NULL,
                        created_at BIGINT NOT NULL,
                        updated_at BIGINT NOT NULL,
                        revision_number BIGINT NOT NULL,
                        UNIQUE (network_id, cidr)
                    );
                    CREATE INDEX subnets_network ON subnets (network_id, created_at);

                    CREATE TABLE ports (
                        id TEXT PRIMARY KEY NOT NULL,
                        seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
                        network_id TEXT NOT NULL REFERENCES networks (id) ON DELETE RESTRICT,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        mac_address TEXT NOT NULL,
                        admin_state_up BIGINT NOT NULL CHECK (admin_state_up IN (0, 1)),
                        status TEXT NOT NULL,
                        device_id TEXT NOT NULL,
                        device_owner TEXT NOT NULL,
                        port_security_enabled BIGINT NOT NULL CHECK (port_security_enabled IN (0, 1)),
                        binding_host_id TEXT NOT NULL,
                        created_at BIGINT NOT NULL,
                        updated_at BIGINT NOT NULL,
                        revision_number BIGINT NOT NULL,
                        UNIQUE (network_id, mac_address)
                    );
                    CREATE INDEX ports_device ON ports (device_id);

                    CREATE TABLE ip_allocations (
                        port_id TEXT NOT NULL REFERENCES ports (id) ON DELETE CASCADE,
                        subnet_id TEXT NOT NULL REFERENCES subnets (id) ON DELETE RESTRICT,
                        ip_address TEXT NOT NULL,
                        position BIGINT NOT NULL,
                        PRIMARY KEY (subnet_id, ip_address)
                    );
                    CREATE INDEX ip_allocations_port ON ip_allocations (port_id);

                    CREATE TABLE routers (
                        id TEXT PRIMARY KEY NOT NULL,
                        seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        admin_state_up BIGINT NOT NULL CHECK (admin_state_up IN (0, 1)),
                        status TEXT NOT NULL,
                        gw_network_id TEXT REFERENCES networks (id) ON DELETE RESTRICT,
                        gw_port_id TEXT REFERENCES ports (id) ON DELETE RESTRICT,
                        enable_snat BIGINT NOT NULL CHECK (enable_snat IN (0, 1)),
                        routes TEXT NOT NULL,
                        created_at BIGINT NOT NULL,
                        updated_at BIGINT NOT NULL,
                        revision_number BIGINT NOT NULL,
                        CHECK ((gw_network_id IS NULL) = (gw_port_id IS NULL))
                    );
                """),
            ("0002_vpnaas", """
                    CREATE TABLE vpn_ikepolicies (
                        id TEXT PRIMARY KEY NOT NULL,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        auth_algorithm TEXT NOT NULL CHECK (auth_algorithm IN (\(auth))),
                        encryption_algorithm TEXT NOT NULL CHECK (encryption_algorithm IN (\(enc))),
                        phase1_negotiation_mode TEXT NOT NULL CHECK (phase1_negotiation_mode IN ('main', 'aggressive')),
                        lifetime_units TEXT NOT NULL CHECK (lifetime_units IN ('seconds')),
                        lifetime_value BIGINT NOT NULL CHECK (lifetime_value >= 60),
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
                        lifetime_value BIGINT NOT NULL CHECK (lifetime_value >= 60),
                        pfs TEXT NOT NULL CHECK (pfs IN (\(pfs)))
                    );

                    CREATE TABLE vpn_services (
                        id TEXT PRIMARY KEY NOT NULL,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        router_id TEXT NOT NULL REFERENCES routers (id) ON DELETE RESTRICT,
                        subnet_id TEXT REFERENCES subnets (id) ON DELETE RESTRICT,
                        admin_state_up BIGINT NOT NULL CHECK (admin_state_up IN (0, 1)),
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
                        psk_sealed BYTEA NOT NULL,
                        peer_cidrs TEXT NOT NULL,
                        mtu BIGINT NOT NULL CHECK (mtu >= 0),
                        initiator TEXT NOT NULL CHECK (initiator IN ('bi-directional', 'response-only')),
                        dpd_action TEXT NOT NULL CHECK (dpd_action IN ('clear', 'disabled', 'hold', 'restart', 'restart-by-peer')),
                        dpd_interval BIGINT NOT NULL CHECK (dpd_interval >= 0),
                        dpd_timeout BIGINT NOT NULL CHECK (dpd_timeout > dpd_interval),
                        admin_state_up BIGINT NOT NULL CHECK (admin_state_up IN (0, 1)),
                        status TEXT NOT NULL CHECK (status IN (\(status)))
                    );
                    CREATE INDEX vpn_connections_service ON vpn_ipsec_site_connections (vpnservice_id);
                """),
            ("0003_identity", """
                    CREATE TABLE identity_projects (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
                        domain_id TEXT NOT NULL,
                        description TEXT NOT NULL,
                        enabled BIGINT NOT NULL CHECK (enabled IN (0, 1))
                    );
                    CREATE TABLE identity_users (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 255),
                        domain_id TEXT NOT NULL,
                        password_hash TEXT,
                        enabled BIGINT NOT NULL CHECK (enabled IN (0, 1)),
                        default_project_id TEXT REFERENCES identity_projects (id) ON DELETE SET NULL,
                        email TEXT,
                        description TEXT NOT NULL
                    );
                    CREATE TABLE identity_roles (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL UNIQUE
                    );
                    CREATE TABLE identity_role_assignments (
                        project_id TEXT NOT NULL REFERENCES identity_projects (id) ON DELETE CASCADE,
                        user_id TEXT NOT NULL REFERENCES identity_users (id) ON DELETE CASCADE,
                        role_id TEXT NOT NULL REFERENCES identity_roles (id) ON DELETE CASCADE,
                        PRIMARY KEY (project_id, user_id, role_id)
                    );
                    CREATE INDEX identity_role_assignments_user ON identity_role_assignments (user_id);
                """),
            ("0004_quotas", """
                    CREATE TABLE quotas (
                        project_id TEXT NOT NULL CHECK (length(project_id) BETWEEN 1 AND 255),
                        resource TEXT NOT NULL CHECK (length(resource) BETWEEN 1 AND 255),
                        quota_limit BIGINT NOT NULL CHECK (quota_limit >= -1),
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
                """),
            ("0005_audit_events", """
                    CREATE TABLE audit_events (
                        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        time_ms BIGINT NOT NULL,
                        project_id TEXT NOT NULL,
                        user_id TEXT,
                        request_id TEXT NOT NULL,
                        method TEXT NOT NULL,
                        path TEXT NOT NULL,
                        resource_type TEXT NOT NULL,
                        resource_id TEXT,
                        action TEXT NOT NULL,
                        status BIGINT NOT NULL CHECK (status BETWEEN 200 AND 299),
                        attributes TEXT NOT NULL
                    );
                    CREATE INDEX audit_events_resource ON audit_events (resource_id, seq);
                    CREATE INDEX audit_events_project ON audit_events (project_id, seq);
                    CREATE INDEX audit_events_time ON audit_events (time_ms);
                """),
            ("0006_token_revocations", """
                    CREATE TABLE identity_token_revocations (
                        audit_id TEXT PRIMARY KEY NOT NULL,
                        expires_at BIGINT NOT NULL
                    );
                    CREATE INDEX identity_token_revocations_expiry ON identity_token_revocations (expires_at);
                """),
            ("0007_legacy_crypto", """
                    ALTER TABLE vpn_ikepolicies
                        DROP CONSTRAINT vpn_ikepolicies_auth_algorithm_check,
                        DROP CONSTRAINT vpn_ikepolicies_encryption_algorithm_check,
                        ADD CONSTRAINT vpn_ikepolicies_auth_algorithm_check CHECK (auth_algorithm IN (\(legacyAuth))),
                        ADD CONSTRAINT vpn_ikepolicies_encryption_algorithm_check CHECK (encryption_algorithm IN (\(legacyEnc)));
                    ALTER TABLE vpn_ipsecpolicies
                        DROP CONSTRAINT vpn_ipsecpolicies_auth_algorithm_check,
                        DROP CONSTRAINT vpn_ipsecpolicies_encryption_algorithm_check,
                        ADD CONSTRAINT vpn_ipsecpolicies_auth_algorithm_check CHECK (auth_algorithm IN (\(legacyAuth))),
                        ADD CONSTRAINT vpn_ipsecpolicies_encryption_algorithm_check CHECK (encryption_algorithm IN (\(legacyEnc)));
                """),
            ("0008_connection_events", """
                    CREATE TABLE vpn_connection_events (
                        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        connection_id TEXT NOT NULL REFERENCES vpn_ipsec_site_connections (id) ON DELETE CASCADE,
                        time_ms BIGINT NOT NULL,
                        type TEXT NOT NULL CHECK (type IN (\(kinds))),
                        ike_state TEXT,
                        child_state TEXT,
                        failure_reason TEXT CHECK (failure_reason IS NULL OR failure_reason IN (\(reasons))),
                        message TEXT NOT NULL CHECK (length(message) <= 2000)
                    );
                    CREATE INDEX vpn_connection_events_by_connection ON vpn_connection_events (connection_id, seq);
                    CREATE INDEX vpn_connection_events_by_time ON vpn_connection_events (time_ms);
                """),
            ("0009_list_indexes", listIndexes),
            ("0010_network_agents", SQLiteStore.networkAgentsSQL.replacingOccurrences(of: " INTEGER ", with: " BIGINT ")),
            ("0011_change_triggers", changeTriggers),
            ("0012_connection_runtime", SQLiteStore.connectionRuntimeSQL.replacingOccurrences(of: " INTEGER ", with: " BIGINT ")),
    ]

    /// Tables whose writes wake listeners: every table but the audit trail (nobody acts on an audit record) and
    /// the agents' own rows (a heartbeat every few seconds from every host changes nothing any agent realises;
    /// their router bindings do).
    static let announcedTables = [
        "networks", "subnets", "ports", "ip_allocations", "routers", "vpn_ikepolicies", "vpn_ipsecpolicies", "vpn_services",
        "vpn_endpoint_groups", "vpn_ipsec_site_connections", "identity_projects", "identity_users", "identity_roles",
        "identity_role_assignments", "quotas", "identity_token_revocations", "vpn_connection_events", "router_agent_bindings",
    ]

    /// `0011_change_triggers`: a statement-level trigger on every announced table NOTIFYs `vpnaas_changes` with the
    /// writer's `application_name` (its store's instance id). The notification rides in the writing statement
    /// itself — no NOTIFY round trip per transaction — and PostgreSQL delivers it on commit only, once per
    /// transaction (equal notifications of one transaction fold into one). The function body stays on one line:
    /// `statements(_:)` splits at line-final semicolons.
    static let changeTriggers: String = {
        var statements = [
            """
            CREATE FUNCTION vpnaas_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('\(PostgresStore.changesChannel)', current_setting('application_name')); RETURN NULL; END $$
            """
        ]
        for table in announcedTables {
            statements.append(
                "CREATE TRIGGER \(table)_changes AFTER INSERT OR UPDATE OR DELETE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION vpnaas_notify_change()")
        }
        return statements.joined(separator: ";\n") + ";"
    }()

    /// `0009_list_indexes` as SQLite's (`SQLiteStore.listIndexStatements`), with `id` in byte order: list
    /// pages sort text `COLLATE "C"` (as SQLite's BINARY), and only an index in that collation serves them;
    /// filters compare with the column's own collation, so the leading filter column keeps it. Names sort
    /// in byte order too, so they get a second index in "C".
    static let listIndexes: String = {
        var statements = SQLiteStore.listIndexStatements.map { $0.replacingOccurrences(of: ", id)", with: ", id COLLATE \"C\")") }
        let tables = ["vpn_ikepolicies", "vpn_ipsecpolicies", "vpn_services", "vpn_endpoint_groups", "vpn_ipsec_site_connections",
                      "networks", "subnets", "ports", "routers"]
        for table in tables {
            statements.append("CREATE INDEX \(table)_id_c ON \(table) (id COLLATE \"C\")")
            statements.append("CREATE INDEX \(table)_name_c ON \(table) (name COLLATE \"C\", id COLLATE \"C\")")
        }
        return statements.joined(separator: ";\n") + ";"
    }()

    /// Applies the migrations not yet recorded in `vpnaas_migrations`, each in its own transaction, under a
    /// session advisory lock so that two processes starting at once apply each one exactly once.
    package func migrate() async throws {
        do {
            try await client.withConnection { connection in
                let executor = PostgresExecutor(connection: connection, logger: Logger(label: "vpnaas.postgres.migrate"))
                _ = try await executor.execute("SELECT pg_advisory_lock(?)", [.integer(Self.migrationLock)])
                do {
                    try await Self.applyMigrations(executor)
                } catch {
                    _ = try? await executor.execute("SELECT pg_advisory_unlock(?)", [.integer(Self.migrationLock)])
                    throw error
                }
                _ = try await executor.execute("SELECT pg_advisory_unlock(?)", [.integer(Self.migrationLock)])
            }
        } catch let error as PSQLError {
            throw StoreError(postgres: error)
        } catch let error as StoreError {
            throw error
        } catch {
            // Connection-pool failures (server unreachable, refused login): the cause goes to the log only.
            throw StoreError(code: .other, message: "database unreachable", cause: error)
        }
    }

    /// Names of the migrations applied, oldest first.
    package func appliedMigrations() async throws -> [String] {
        do {
            return try await client.withConnection { connection in
                let executor = PostgresExecutor(connection: connection, logger: Logger(label: "vpnaas.postgres.migrate"))
                return try await executor.query("SELECT name FROM vpnaas_migrations ORDER BY name", []).map { $0["name"] }
            }
        } catch let error as PSQLError {
            throw StoreError(postgres: error)
        }
    }

    /// An arbitrary constant: the advisory lock key of this schema's migrations.
    static let migrationLock: Int64 = 0x7670_6e61_6173

    private static func applyMigrations(_ executor: PostgresExecutor) async throws {
        _ = try await executor.execute(
            "CREATE TABLE IF NOT EXISTS vpnaas_migrations (name TEXT PRIMARY KEY NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
            [])
        let applied = Set(try await executor.query("SELECT name FROM vpnaas_migrations", []).map { $0["name"] as String })
        for migration in migrations where !applied.contains(migration.name) {
            _ = try await executor.execute("BEGIN", [])
            do {
                for statement in statements(migration.sql) { _ = try await executor.execute(statement, []) }
                _ = try await executor.execute("INSERT INTO vpnaas_migrations (name) VALUES (?)", [.text(migration.name)])
                _ = try await executor.execute("COMMIT", [])
            } catch {
                _ = try? await executor.execute("ROLLBACK", [])
                throw error
            }
        }
    }

    /// The extended protocol takes one statement at a time; the migration texts end each with `;` at a line end.
    static func statements(_ sql: String) -> [String] {
        var out: [String] = []
        var current = ""
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            current += line + "\n"
            if line.hasSuffix(";") {
                out.append(String(current.dropLast(2)).trimmingWhitespace)
                current = ""
            }
        }
        let rest = current.trimmingWhitespace
        if !rest.isEmpty { out.append(rest) }
        return out.filter { !$0.isEmpty }
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
