import GRDB
import VPNaaSDomain

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The embedded store: one SQLite file in WAL mode (GRDB `DatabasePool`), foreign keys on,
/// migrations applied when opened.
package struct SQLiteStore: Store {
    let writer: any DatabaseWriter
    let secrets: SecretBox

    /// Opens (creating if needed) the database file at `path` and migrates it; secrets are sealed with `secrets`.
    package init(path: String, secrets: SecretBox) throws {
        self.secrets = secrets
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        do {
            writer = try DatabasePool(path: path, configuration: configuration)
            try SQLiteStore.migrator.migrate(writer)
        } catch {
            throw StoreError(code: .other, message: "cannot open database at \(path)", cause: error)
        }
    }

    /// A private in-memory database (tests, throwaway runs).
    package init(inMemory: Void = (), secrets: SecretBox = .random()) throws {
        self.secrets = secrets
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        writer = try DatabaseQueue(configuration: configuration)
        try SQLiteStore.migrator.migrate(writer)
    }

    /// Names of the migrations applied, oldest first.
    package func appliedMigrations() async throws -> [String] {
        try await writer.read { db in try SQLiteStore.migrator.appliedMigrations(db) }
    }

    package func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T {
        let secrets = secrets
        return try await mapErrors { try await writer.read { db in try body(SQLiteAccess(db: db, secrets: secrets)) } }
    }

    package func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        let secrets = secrets
        return try await mapErrors { try await writer.write { db in try body(SQLiteAccess(db: db, secrets: secrets)) } }
    }

    private func mapErrors<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as DatabaseError {
            throw StoreError(code: StoreError.Code(error), message: error.message ?? "database error", cause: error)
        }
    }
}

extension StoreError.Code {
    init(_ error: DatabaseError) {
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY: self = .uniqueViolation
        case .SQLITE_CONSTRAINT_FOREIGNKEY: self = .foreignKeyViolation
        case .SQLITE_CONSTRAINT_CHECK, .SQLITE_CONSTRAINT_NOTNULL: self = .checkViolation
        default:
            // A foreign-key failure detected at COMMIT only carries the primary code.
            if error.resultCode == .SQLITE_CONSTRAINT, (error.message ?? "").contains("FOREIGN KEY") {
                self = .foreignKeyViolation
            } else {
                self = .other
            }
        }
    }
}

/// Reader and writer over one GRDB connection, used only inside a read or write closure.
struct SQLiteAccess: StoreWriter {
    let db: Database
    let secrets: SecretBox

    // MARK: - Networks

    func network(_ id: Network.ID) throws -> Network? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM networks WHERE id = ?"), arguments: [id]).map(network(from:))
    }

    func networks() throws -> [Network] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM networks")).map(network(from:))
    }

    func network(from row: Row) throws -> Network {
        let id: String = row["id"]
        let subnetIDs = try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM subnets WHERE network_id = ? ORDER BY created_at, rowid"), arguments: [id])
        guard let type = Network.NetworkType(rawValue: row["network_type"]) else {
            throw StoreError(code: .other, message: "bad network_type in row \(id)")
        }
        return Network(
            id: id, projectID: row["project_id"], name: row["name"], description: row["description"],
            adminStateUp: row["admin_state_up"], shared: row["shared"], external: row["external"],
            segment: .init(networkType: type, physicalNetwork: row["physical_network"], segmentationID: row["segmentation_id"]),
            mtu: row["mtu"], portSecurityEnabled: row["port_security_enabled"], vlanTransparent: row["vlan_transparent"],
            qinq: row["qinq"], isDefault: row["is_default"],
            availabilityZoneHints: try Columns.strings(row["availability_zone_hints"]), status: row["status"],
            stamps: stamps(row), subnetIDs: subnetIDs)
    }

    func insert(_ n: Network) throws {
        try db.cachedStatement(sql: """
                INSERT INTO networks (id, project_id, name, description, admin_state_up, shared, external, network_type,
                  physical_network, segmentation_id, mtu, port_security_enabled, vlan_transparent, qinq, is_default,
                  availability_zone_hints, status, created_at, updated_at, revision_number)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                n.id, n.projectID, n.name, n.description, n.adminStateUp, n.shared, n.external,
                n.segment.networkType.rawValue, n.segment.physicalNetwork, n.segment.segmentationID, n.mtu,
                n.portSecurityEnabled, n.vlanTransparent, n.qinq, n.isDefault, try Columns.json(n.availabilityZoneHints),
                n.status, n.stamps.createdAt.secondsSinceEpoch, n.stamps.updatedAt.secondsSinceEpoch, n.stamps.revision,
            ])
    }

    func update(_ n: Network) throws {
        try db.cachedStatement(sql: """
                UPDATE networks SET name = ?, description = ?, admin_state_up = ?, shared = ?, external = ?, mtu = ?,
                  port_security_enabled = ?, is_default = ?, status = ?, updated_at = ?, revision_number = ?
                WHERE id = ?
                """).execute(arguments: [
                n.name, n.description, n.adminStateUp, n.shared, n.external, n.mtu, n.portSecurityEnabled, n.isDefault,
                n.status, n.stamps.updatedAt.secondsSinceEpoch, n.stamps.revision, n.id,
            ])
        try requireChange("network", n.id)
    }

    func deleteNetwork(_ id: Network.ID) throws {
        try db.cachedStatement(sql: "DELETE FROM networks WHERE id = ?").execute(arguments: [id])
        try requireChange("network", id)
    }

    func segmentationIDs(of type: Network.NetworkType) throws -> Set<Int> {
        Set(
            try Int.fetchAll(db.cachedStatement(sql: "SELECT segmentation_id FROM networks WHERE network_type = ? AND segmentation_id IS NOT NULL"),
                arguments: [type.rawValue]))
    }

    // MARK: - Subnets

    func subnet(_ id: Subnet.ID) throws -> Subnet? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM subnets WHERE id = ?"), arguments: [id]).map(subnet(from:))
    }

    func subnets(networkID: Network.ID?) throws -> [Subnet] {
        if let networkID {
            return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM subnets WHERE network_id = ? ORDER BY created_at, rowid"), arguments: [networkID]
            ).map(subnet(from:))
        }
        return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM subnets")).map(subnet(from:))
    }

    private func subnet(from row: Row) throws -> Subnet {
        let id: String = row["id"]
        guard let cidr = CIDR(row["cidr"] as String) else {
            throw StoreError(code: .other, message: "bad cidr in subnet row \(id)")
        }
        return Subnet(
            id: id, projectID: row["project_id"], networkID: row["network_id"], name: row["name"],
            description: row["description"], cidr: cidr, gatewayIP: (row["gateway_ip"] as String?).flatMap(IPAddress.init),
            enableDHCP: row["enable_dhcp"], ipv6RAMode: (row["ipv6_ra_mode"] as String?).flatMap(Subnet.IPv6Mode.init),
            ipv6AddressMode: (row["ipv6_address_mode"] as String?).flatMap(Subnet.IPv6Mode.init),
            allocationPools: try Columns.pools(row["allocation_pools"]),
            dnsNameservers: try Columns.strings(row["dns_nameservers"]).compactMap(IPAddress.init),
            hostRoutes: try Columns.routes(row["host_routes"]), stamps: stamps(row))
    }

    func insert(_ s: Subnet) throws {
        try db.cachedStatement(sql: """
                INSERT INTO subnets (id, network_id, project_id, name, description, ip_version, cidr, gateway_ip,
                  enable_dhcp, ipv6_ra_mode, ipv6_address_mode, allocation_pools, dns_nameservers, host_routes,
                  created_at, updated_at, revision_number)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                s.id, s.networkID, s.projectID, s.name, s.description, s.ipVersion, s.cidr.description,
                s.gatewayIP?.description, s.enableDHCP, s.ipv6RAMode?.rawValue, s.ipv6AddressMode?.rawValue,
                try Columns.json(s.allocationPools), try Columns.json(s.dnsNameservers.map(\.description)),
                try Columns.json(s.hostRoutes), s.stamps.createdAt.secondsSinceEpoch,
                s.stamps.updatedAt.secondsSinceEpoch, s.stamps.revision,
            ])
    }

    func update(_ s: Subnet) throws {
        try db.cachedStatement(sql: """
                UPDATE subnets SET name = ?, description = ?, gateway_ip = ?, enable_dhcp = ?, allocation_pools = ?,
                  dns_nameservers = ?, host_routes = ?, updated_at = ?, revision_number = ?
                WHERE id = ?
                """).execute(arguments: [
                s.name, s.description, s.gatewayIP?.description, s.enableDHCP, try Columns.json(s.allocationPools),
                try Columns.json(s.dnsNameservers.map(\.description)), try Columns.json(s.hostRoutes),
                s.stamps.updatedAt.secondsSinceEpoch, s.stamps.revision, s.id,
            ])
        try requireChange("subnet", s.id)
    }

    func deleteSubnet(_ id: Subnet.ID) throws {
        try db.cachedStatement(sql: "DELETE FROM subnets WHERE id = ?").execute(arguments: [id])
        try requireChange("subnet", id)
    }

    func usedAddresses(onSubnet subnetID: Subnet.ID) throws -> Set<IPAddress> {
        Set(
            try String.fetchAll(db.cachedStatement(sql: "SELECT ip_address FROM ip_allocations WHERE subnet_id = ?"), arguments: [subnetID])
                .compactMap(IPAddress.init))
    }

    // MARK: - Ports

    func port(_ id: Port.ID) throws -> Port? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM ports WHERE id = ?"), arguments: [id]).map(port(from:))
    }

    func ports(networkID: Network.ID?, deviceID: String?) throws -> [Port] {
        var sql = "SELECT * FROM ports WHERE 1 = 1"
        var arguments: StatementArguments = []
        if let networkID {
            sql += " AND network_id = ?"
            arguments += [networkID]
        }
        if let deviceID {
            sql += " AND device_id = ?"
            arguments += [deviceID]
        }
        return try Row.fetchAll(db, sql: sql + " ORDER BY created_at, rowid", arguments: arguments).map(port(from:))
    }

    func ports(onSubnet subnetID: Subnet.ID) throws -> [Port] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM ports WHERE id IN (SELECT port_id FROM ip_allocations WHERE subnet_id = ?) ORDER BY created_at, rowid"),
            arguments: [subnetID]
        ).map(port(from:))
    }

    func port(from row: Row) throws -> Port {
        let id: String = row["id"]
        let ips = try Row.fetchAll(db.cachedStatement(sql: "SELECT subnet_id, ip_address FROM ip_allocations WHERE port_id = ? ORDER BY position"),
            arguments: [id]
        ).compactMap { r -> FixedIP? in
            IPAddress(r["ip_address"] as String).map { FixedIP(subnetID: r["subnet_id"], ipAddress: $0) }
        }
        return Port(
            id: id, projectID: row["project_id"], networkID: row["network_id"], name: row["name"],
            description: row["description"], macAddress: row["mac_address"], adminStateUp: row["admin_state_up"],
            status: row["status"], deviceID: row["device_id"], deviceOwner: row["device_owner"], fixedIPs: ips,
            portSecurityEnabled: row["port_security_enabled"], bindingHostID: row["binding_host_id"], stamps: stamps(row))
    }

    func insert(_ p: Port) throws {
        try db.cachedStatement(sql: """
                INSERT INTO ports (id, network_id, project_id, name, description, mac_address, admin_state_up, status,
                  device_id, device_owner, port_security_enabled, binding_host_id, created_at, updated_at, revision_number)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                p.id, p.networkID, p.projectID, p.name, p.description, p.macAddress, p.adminStateUp, p.status,
                p.deviceID, p.deviceOwner, p.portSecurityEnabled, p.bindingHostID, p.stamps.createdAt.secondsSinceEpoch,
                p.stamps.updatedAt.secondsSinceEpoch, p.stamps.revision,
            ])
        try writeAllocations(p)
    }

    func update(_ p: Port) throws {
        try db.cachedStatement(sql: """
                UPDATE ports SET name = ?, description = ?, admin_state_up = ?, status = ?, device_id = ?,
                  device_owner = ?, port_security_enabled = ?, binding_host_id = ?, updated_at = ?, revision_number = ?
                WHERE id = ?
                """).execute(arguments: [
                p.name, p.description, p.adminStateUp, p.status, p.deviceID, p.deviceOwner, p.portSecurityEnabled,
                p.bindingHostID, p.stamps.updatedAt.secondsSinceEpoch, p.stamps.revision, p.id,
            ])
        try requireChange("port", p.id)
        try db.cachedStatement(sql: "DELETE FROM ip_allocations WHERE port_id = ?").execute(arguments: [p.id])
        try writeAllocations(p)
    }

    private func writeAllocations(_ p: Port) throws {
        for (position, ip) in p.fixedIPs.enumerated() {
            try db.cachedStatement(sql: "INSERT INTO ip_allocations (port_id, subnet_id, ip_address, position) VALUES (?, ?, ?, ?)").execute(arguments: [p.id, ip.subnetID, ip.ipAddress.description, position])
        }
    }

    func deletePort(_ id: Port.ID) throws {
        try db.cachedStatement(sql: "DELETE FROM ports WHERE id = ?").execute(arguments: [id])
        try requireChange("port", id)
    }

    // MARK: - Routers

    func router(_ id: Router.ID) throws -> Router? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM routers WHERE id = ?"), arguments: [id]).map(router(from:))
    }

    func routers() throws -> [Router] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM routers")).map(router(from:))
    }

    func router(from row: Row) throws -> Router {
        var gateway: Router.Gateway?
        if let network = row["gw_network_id"] as String?, let portID = row["gw_port_id"] as String? {
            gateway = Router.Gateway(
                networkID: network, portID: portID, enableSNAT: row["enable_snat"],
                fixedIPs: try port(portID)?.fixedIPs ?? [])
        }
        return Router(
            id: row["id"], projectID: row["project_id"], name: row["name"], description: row["description"],
            adminStateUp: row["admin_state_up"], status: row["status"], gateway: gateway,
            routes: try Columns.routes(row["routes"]), stamps: stamps(row))
    }

    func insert(_ r: Router) throws {
        try db.cachedStatement(sql: """
                INSERT INTO routers (id, project_id, name, description, admin_state_up, status, gw_network_id,
                  gw_port_id, enable_snat, routes, created_at, updated_at, revision_number)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                r.id, r.projectID, r.name, r.description, r.adminStateUp, r.status, r.gateway?.networkID,
                r.gateway?.portID, r.gateway?.enableSNAT ?? true, try Columns.json(r.routes),
                r.stamps.createdAt.secondsSinceEpoch, r.stamps.updatedAt.secondsSinceEpoch, r.stamps.revision,
            ])
    }

    func update(_ r: Router) throws {
        try db.cachedStatement(sql: """
                UPDATE routers SET name = ?, description = ?, admin_state_up = ?, status = ?, gw_network_id = ?,
                  gw_port_id = ?, enable_snat = ?, routes = ?, updated_at = ?, revision_number = ?
                WHERE id = ?
                """).execute(arguments: [
                r.name, r.description, r.adminStateUp, r.status, r.gateway?.networkID, r.gateway?.portID,
                r.gateway?.enableSNAT ?? true, try Columns.json(r.routes), r.stamps.updatedAt.secondsSinceEpoch,
                r.stamps.revision, r.id,
            ])
        try requireChange("router", r.id)
    }

    func deleteRouter(_ id: Router.ID) throws {
        try db.cachedStatement(sql: "DELETE FROM routers WHERE id = ?").execute(arguments: [id])
        try requireChange("router", id)
    }

    // MARK: - Helpers

    func stamps(_ row: Row) -> Stamps {
        Stamps(
            createdAt: Timestamp(secondsSinceEpoch: row["created_at"]),
            updatedAt: Timestamp(secondsSinceEpoch: row["updated_at"]), revision: row["revision_number"])
    }

    func requireChange(_ kind: String, _ id: String) throws {
        if db.changesCount == 0 {
            throw StoreError(code: .notFound, message: "no \(kind) row \(id)")
        }
    }
}

/// Encodings of list-valued columns (JSON text, so the file stays readable with the sqlite3 shell).
enum Columns {
    static func json(_ strings: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(strings), as: UTF8.self)
    }

    static func json(_ pools: [AllocationPool]) throws -> String {
        try json(pools.map { "\($0.start) \($0.end)" })
    }

    static func json(_ routes: [HostRoute]) throws -> String {
        try json(routes.map { "\($0.destination) \($0.nexthop)" })
    }

    static func strings(_ text: String) throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    static func pools(_ text: String) throws -> [AllocationPool] {
        try strings(text).compactMap { item in
            let parts = item.split(separator: " ")
            guard parts.count == 2, let s = IPAddress(parts[0]), let e = IPAddress(parts[1]) else { return nil }
            return AllocationPool(start: s, end: e)
        }
    }

    static func routes(_ text: String) throws -> [HostRoute] {
        try strings(text).compactMap { item in
            let parts = item.split(separator: " ")
            guard parts.count == 2, let d = CIDR(parts[0]), let n = IPAddress(parts[1]) else { return nil }
            return HostRoute(destination: d, nexthop: n)
        }
    }
}
