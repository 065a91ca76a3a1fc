import VPNaaSDomain

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every `StoreReader`/`StoreWriter` query, written once for both backends against the transaction's
/// `SQLExecutor` (SQLite through GRDB, PostgreSQL through postgres-nio); dialect differences are `SQLDialect` hooks.
struct SQLAccess: StoreWriter {
    let executor: any SQLExecutor
    let secrets: SecretBox

    /// Orders rows as inserted (`rowid` / `seq`).
    var insertionOrder: String { executor.dialect.insertionOrder }

    // MARK: - Statements

    func query(_ sql: String, _ arguments: [any SQLBindable] = []) async throws -> [SQLRow] {
        try await executor.query(sql, arguments.map(\.sqlValue))
    }

    func one<T>(_ sql: String, _ arguments: [any SQLBindable], _ decode: (SQLRow) async throws -> T) async throws -> T? {
        guard let row = try await query(sql, arguments).first else { return nil }
        return try await decode(row)
    }

    func all<T>(_ sql: String, _ arguments: [any SQLBindable], _ decode: (SQLRow) async throws -> T) async throws -> [T] {
        var out: [T] = []
        for row in try await query(sql, arguments) { out.append(try await decode(row)) }
        return out
    }

    func scalar<T: SQLDecodable>(_ type: T.Type, _ sql: String, _ arguments: [any SQLBindable]) async throws -> T? {
        try await query(sql, arguments).first.map { $0[0] }
    }

    func scalars<T: SQLDecodable>(_ type: T.Type, _ sql: String, _ arguments: [any SQLBindable]) async throws -> [T] {
        try await query(sql, arguments).map { $0[0] }
    }

    /// Runs a statement; the number of rows it changed.
    @discardableResult
    func run(_ sql: String, _ arguments: [any SQLBindable] = []) async throws -> Int {
        try await executor.execute(sql, arguments.map(\.sqlValue))
    }

    // MARK: - Networks

    func network(_ id: Network.ID) async throws -> Network? {
        try await one("SELECT * FROM networks WHERE id = ?", [id], network(from:))
    }

    func networks() async throws -> [Network] {
        try await all("SELECT * FROM networks", [], network(from:))
    }

    func network(from row: SQLRow) async throws -> Network {
        let id: String = row["id"]
        let subnetIDs = try await scalars(String.self, "SELECT id FROM subnets WHERE network_id = ? ORDER BY created_at, \(insertionOrder)", [id])
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

    func insert(_ n: Network) async throws {
        try await run("""
                INSERT INTO networks (id, project_id, name, description, admin_state_up, shared, external, network_type,
                  physical_network, segmentation_id, mtu, port_security_enabled, vlan_transparent, qinq, is_default,
                  availability_zone_hints, status, created_at, updated_at, revision_number)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                n.id, n.projectID, n.name, n.description, n.adminStateUp, n.shared, n.external,
                n.segment.networkType.rawValue, n.segment.physicalNetwork, n.segment.segmentationID, n.mtu,
                n.portSecurityEnabled, n.vlanTransparent, n.qinq, n.isDefault, try Columns.json(n.availabilityZoneHints),
                n.status, n.stamps.createdAt.secondsSinceEpoch, n.stamps.updatedAt.secondsSinceEpoch, n.stamps.revision,
            ])
    }

    func update(_ n: Network) async throws {
        try requireChange(await run("""
                UPDATE networks SET name = ?, description = ?, admin_state_up = ?, shared = ?, external = ?, mtu = ?,
                  port_security_enabled = ?, is_default = ?, status = ?, updated_at = ?, revision_number = ?
                WHERE id = ?
                """, [
                n.name, n.description, n.adminStateUp, n.shared, n.external, n.mtu, n.portSecurityEnabled, n.isDefault,
                n.status, n.stamps.updatedAt.secondsSinceEpoch, n.stamps.revision, n.id,
            ]), "network", n.id)
    }

    func deleteNetwork(_ id: Network.ID) async throws {
        try requireChange(await run("DELETE FROM networks WHERE id = ?", [id]), "network", id)
    }

    func segmentationIDs(of type: Network.NetworkType) async throws -> Set<Int> {
        Set(
            try await scalars(Int.self, "SELECT segmentation_id FROM networks WHERE network_type = ? AND segmentation_id IS NOT NULL", [type.rawValue]))
    }

    // MARK: - Subnets

    func subnet(_ id: Subnet.ID) async throws -> Subnet? {
        try await one("SELECT * FROM subnets WHERE id = ?", [id], subnet(from:))
    }

    func subnets(networkID: Network.ID?) async throws -> [Subnet] {
        if let networkID {
            return try await all("SELECT * FROM subnets WHERE network_id = ? ORDER BY created_at, \(insertionOrder)", [networkID], subnet(from:))
        }
        return try await all("SELECT * FROM subnets", [], subnet(from:))
    }

    private func subnet(from row: SQLRow) throws -> Subnet {
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

    func insert(_ s: Subnet) async throws {
        try await run("""
                INSERT INTO subnets (id, network_id, project_id, name, description, ip_version, cidr, gateway_ip,
                  enable_dhcp, ipv6_ra_mode, ipv6_address_mode, allocation_pools, dns_nameservers, host_routes,
                  created_at, updated_at, revision_number)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                s.id, s.networkID, s.projectID, s.name, s.description, s.ipVersion, s.cidr.description,
                s.gatewayIP?.description, s.enableDHCP, s.ipv6RAMode?.rawValue, s.ipv6AddressMode?.rawValue,
                try Columns.json(s.allocationPools), try Columns.json(s.dnsNameservers.map(\.description)),
                try Columns.json(s.hostRoutes), s.stamps.createdAt.secondsSinceEpoch,
                s.stamps.updatedAt.secondsSinceEpoch, s.stamps.revision,
            ])
    }

    func update(_ s: Subnet) async throws {
        try requireChange(await run("""
                UPDATE subnets SET name = ?, description = ?, gateway_ip = ?, enable_dhcp = ?, allocation_pools = ?,
                  dns_nameservers = ?, host_routes = ?, updated_at = ?, revision_number = ?
                WHERE id = ?
                """, [
                s.name, s.description, s.gatewayIP?.description, s.enableDHCP, try Columns.json(s.allocationPools),
                try Columns.json(s.dnsNameservers.map(\.description)), try Columns.json(s.hostRoutes),
                s.stamps.updatedAt.secondsSinceEpoch, s.stamps.revision, s.id,
            ]), "subnet", s.id)
    }

    func deleteSubnet(_ id: Subnet.ID) async throws {
        try requireChange(await run("DELETE FROM subnets WHERE id = ?", [id]), "subnet", id)
    }

    func usedAddresses(onSubnet subnetID: Subnet.ID) async throws -> Set<IPAddress> {
        Set(
            try await scalars(String.self, "SELECT ip_address FROM ip_allocations WHERE subnet_id = ?", [subnetID])
                .compactMap(IPAddress.init))
    }

    // MARK: - Ports

    func port(_ id: Port.ID) async throws -> Port? {
        try await one("SELECT * FROM ports WHERE id = ?", [id], port(from:))
    }

    func ports(networkID: Network.ID?, deviceID: String?) async throws -> [Port] {
        var sql = "SELECT * FROM ports WHERE 1 = 1"
        var arguments: [any SQLBindable] = []
        if let networkID {
            sql += " AND network_id = ?"
            arguments += [networkID]
        }
        if let deviceID {
            sql += " AND device_id = ?"
            arguments += [deviceID]
        }
        return try await all(sql + " ORDER BY created_at, \(insertionOrder)", arguments, port(from:))
    }

    func ports(onSubnet subnetID: Subnet.ID) async throws -> [Port] {
        try await all("SELECT * FROM ports WHERE id IN (SELECT port_id FROM ip_allocations WHERE subnet_id = ?) ORDER BY created_at, \(insertionOrder)", [subnetID], port(from:))
    }

    func port(from row: SQLRow) async throws -> Port {
        let id: String = row["id"]
        let ips = try await query("SELECT subnet_id, ip_address FROM ip_allocations WHERE port_id = ? ORDER BY position", [id]).compactMap { r -> FixedIP? in
            IPAddress(r["ip_address"] as String).map { FixedIP(subnetID: r["subnet_id"], ipAddress: $0) }
        }
        return Port(
            id: id, projectID: row["project_id"], networkID: row["network_id"], name: row["name"],
            description: row["description"], macAddress: row["mac_address"], adminStateUp: row["admin_state_up"],
            status: row["status"], deviceID: row["device_id"], deviceOwner: row["device_owner"], fixedIPs: ips,
            portSecurityEnabled: row["port_security_enabled"], bindingHostID: row["binding_host_id"], stamps: stamps(row))
    }

    func insert(_ p: Port) async throws {
        try await run("""
                INSERT INTO ports (id, network_id, project_id, name, description, mac_address, admin_state_up, status,
                  device_id, device_owner, port_security_enabled, binding_host_id, created_at, updated_at, revision_number)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                p.id, p.networkID, p.projectID, p.name, p.description, p.macAddress, p.adminStateUp, p.status,
                p.deviceID, p.deviceOwner, p.portSecurityEnabled, p.bindingHostID, p.stamps.createdAt.secondsSinceEpoch,
                p.stamps.updatedAt.secondsSinceEpoch, p.stamps.revision,
            ])
        try await writeAllocations(p)
    }

    func update(_ p: Port) async throws {
        try requireChange(await run("""
                UPDATE ports SET name = ?, description = ?, admin_state_up = ?, status = ?, device_id = ?,
                  device_owner = ?, port_security_enabled = ?, binding_host_id = ?, updated_at = ?, revision_number = ?
                WHERE id = ?
                """, [
                p.name, p.description, p.adminStateUp, p.status, p.deviceID, p.deviceOwner, p.portSecurityEnabled,
                p.bindingHostID, p.stamps.updatedAt.secondsSinceEpoch, p.stamps.revision, p.id,
            ]), "port", p.id)
        try await run("DELETE FROM ip_allocations WHERE port_id = ?", [p.id])
        try await writeAllocations(p)
    }

    private func writeAllocations(_ p: Port) async throws {
        for (position, ip) in p.fixedIPs.enumerated() {
            try await run("INSERT INTO ip_allocations (port_id, subnet_id, ip_address, position) VALUES (?, ?, ?, ?)", [p.id, ip.subnetID, ip.ipAddress.description, position])
        }
    }

    func deletePort(_ id: Port.ID) async throws {
        try requireChange(await run("DELETE FROM ports WHERE id = ?", [id]), "port", id)
    }

    // MARK: - Routers

    func router(_ id: Router.ID) async throws -> Router? {
        try await one("SELECT * FROM routers WHERE id = ?", [id], router(from:))
    }

    func routers() async throws -> [Router] {
        try await all("SELECT * FROM routers", [], router(from:))
    }

    func router(from row: SQLRow) async throws -> Router {
        var gateway: Router.Gateway?
        if let network = row["gw_network_id"] as String?, let portID = row["gw_port_id"] as String? {
            gateway = await Router.Gateway(
                networkID: network, portID: portID, enableSNAT: row["enable_snat"],
                fixedIPs: try port(portID)?.fixedIPs ?? [])
        }
        return Router(
            id: row["id"], projectID: row["project_id"], name: row["name"], description: row["description"],
            adminStateUp: row["admin_state_up"], status: row["status"], gateway: gateway,
            routes: try Columns.routes(row["routes"]), stamps: stamps(row))
    }

    func insert(_ r: Router) async throws {
        try await run("""
                INSERT INTO routers (id, project_id, name, description, admin_state_up, status, gw_network_id,
                  gw_port_id, enable_snat, routes, created_at, updated_at, revision_number)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                r.id, r.projectID, r.name, r.description, r.adminStateUp, r.status, r.gateway?.networkID,
                r.gateway?.portID, r.gateway?.enableSNAT ?? true, try Columns.json(r.routes),
                r.stamps.createdAt.secondsSinceEpoch, r.stamps.updatedAt.secondsSinceEpoch, r.stamps.revision,
            ])
    }

    func update(_ r: Router) async throws {
        try requireChange(await run("""
                UPDATE routers SET name = ?, description = ?, admin_state_up = ?, status = ?, gw_network_id = ?,
                  gw_port_id = ?, enable_snat = ?, routes = ?, updated_at = ?, revision_number = ?
                WHERE id = ?
                """, [
                r.name, r.description, r.adminStateUp, r.status, r.gateway?.networkID, r.gateway?.portID,
                r.gateway?.enableSNAT ?? true, try Columns.json(r.routes), r.stamps.updatedAt.secondsSinceEpoch,
                r.stamps.revision, r.id,
            ]), "router", r.id)
    }

    func deleteRouter(_ id: Router.ID) async throws {
        try requireChange(await run("DELETE FROM routers WHERE id = ?", [id]), "router", id)
    }

    // MARK: - Helpers

    func stamps(_ row: SQLRow) -> Stamps {
        Stamps(
            createdAt: Timestamp(secondsSinceEpoch: row["created_at"]),
            updatedAt: Timestamp(secondsSinceEpoch: row["updated_at"]), revision: row["revision_number"])
    }

    func requireChange(_ changed: Int, _ kind: String, _ id: String) throws {
        if changed == 0 {
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
