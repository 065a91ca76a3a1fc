import GRDB
import VPNaaSDomain

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The VPNaaS rows. Enum columns are decoded strictly: a value the schema should have refused is a
/// store error, never a silent default.
extension SQLiteAccess {
    private func decode<E: RawRepresentable>(_ type: E.Type, _ row: Row, _ column: String) throws -> E
    where E.RawValue == String {
        guard let value = E(rawValue: row[column] as String) else {
            throw StoreError(code: .other, message: "bad \(column) in row \(row["id"] as String)")
        }
        return value
    }

    private func lifetime(_ row: Row) throws -> Lifetime {
        Lifetime(units: try decode(Lifetime.Units.self, row, "lifetime_units"), value: row["lifetime_value"])
    }

    // MARK: - IKE policies

    func ikePolicy(_ id: IKEPolicy.ID) throws -> IKEPolicy? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM vpn_ikepolicies WHERE id = ?"), arguments: [id]).map(ikePolicy(from:))
    }

    func ikePolicies() throws -> [IKEPolicy] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM vpn_ikepolicies")).map(ikePolicy(from:))
    }

    func ikePolicy(from row: Row) throws -> IKEPolicy {
        IKEPolicy(
            id: row["id"], projectID: row["project_id"], name: row["name"], description: row["description"],
            authAlgorithm: try decode(AuthAlgorithm.self, row, "auth_algorithm"),
            encryptionAlgorithm: try decode(EncryptionAlgorithm.self, row, "encryption_algorithm"),
            phase1NegotiationMode: try decode(IKEPolicy.Phase1Mode.self, row, "phase1_negotiation_mode"),
            lifetime: try lifetime(row), ikeVersion: try decode(IKEPolicy.Version.self, row, "ike_version"),
            pfs: try decode(PFSGroup.self, row, "pfs"))
    }

    func insert(_ p: IKEPolicy) throws {
        try db.cachedStatement(sql: """
                INSERT INTO vpn_ikepolicies (id, project_id, name, description, auth_algorithm, encryption_algorithm,
                  phase1_negotiation_mode, lifetime_units, lifetime_value, ike_version, pfs)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                p.id, p.projectID, p.name, p.description, p.authAlgorithm.rawValue, p.encryptionAlgorithm.rawValue,
                p.phase1NegotiationMode.rawValue, p.lifetime.units.rawValue, p.lifetime.value, p.ikeVersion.rawValue,
                p.pfs.rawValue,
            ])
    }

    func update(_ p: IKEPolicy) throws {
        try db.cachedStatement(sql: """
                UPDATE vpn_ikepolicies SET name = ?, description = ?, auth_algorithm = ?, encryption_algorithm = ?,
                  phase1_negotiation_mode = ?, lifetime_units = ?, lifetime_value = ?, ike_version = ?, pfs = ?
                WHERE id = ?
                """).execute(arguments: [
                p.name, p.description, p.authAlgorithm.rawValue, p.encryptionAlgorithm.rawValue,
                p.phase1NegotiationMode.rawValue, p.lifetime.units.rawValue, p.lifetime.value, p.ikeVersion.rawValue,
                p.pfs.rawValue, p.id,
            ])
        try requireChange("ikepolicy", p.id)
    }

    func deleteIKEPolicy(_ id: IKEPolicy.ID) throws {
        try db.cachedStatement(sql: "DELETE FROM vpn_ikepolicies WHERE id = ?").execute(arguments: [id])
        try requireChange("ikepolicy", id)
    }

    // MARK: - IPsec policies

    func ipsecPolicy(_ id: IPsecPolicy.ID) throws -> IPsecPolicy? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM vpn_ipsecpolicies WHERE id = ?"), arguments: [id]).map(ipsecPolicy(from:))
    }

    func ipsecPolicies() throws -> [IPsecPolicy] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM vpn_ipsecpolicies")).map(ipsecPolicy(from:))
    }

    func ipsecPolicy(from row: Row) throws -> IPsecPolicy {
        IPsecPolicy(
            id: row["id"], projectID: row["project_id"], name: row["name"], description: row["description"],
            transformProtocol: try decode(IPsecPolicy.TransformProtocol.self, row, "transform_protocol"),
            authAlgorithm: try decode(AuthAlgorithm.self, row, "auth_algorithm"),
            encryptionAlgorithm: try decode(EncryptionAlgorithm.self, row, "encryption_algorithm"),
            encapsulationMode: try decode(IPsecPolicy.EncapsulationMode.self, row, "encapsulation_mode"),
            lifetime: try lifetime(row), pfs: try decode(PFSGroup.self, row, "pfs"))
    }

    func insert(_ p: IPsecPolicy) throws {
        try db.cachedStatement(sql: """
                INSERT INTO vpn_ipsecpolicies (id, project_id, name, description, transform_protocol, auth_algorithm,
                  encryption_algorithm, encapsulation_mode, lifetime_units, lifetime_value, pfs)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                p.id, p.projectID, p.name, p.description, p.transformProtocol.rawValue, p.authAlgorithm.rawValue,
                p.encryptionAlgorithm.rawValue, p.encapsulationMode.rawValue, p.lifetime.units.rawValue,
                p.lifetime.value, p.pfs.rawValue,
            ])
    }

    func update(_ p: IPsecPolicy) throws {
        try db.cachedStatement(sql: """
                UPDATE vpn_ipsecpolicies SET name = ?, description = ?, transform_protocol = ?, auth_algorithm = ?,
                  encryption_algorithm = ?, encapsulation_mode = ?, lifetime_units = ?, lifetime_value = ?, pfs = ?
                WHERE id = ?
                """).execute(arguments: [
                p.name, p.description, p.transformProtocol.rawValue, p.authAlgorithm.rawValue,
                p.encryptionAlgorithm.rawValue, p.encapsulationMode.rawValue, p.lifetime.units.rawValue,
                p.lifetime.value, p.pfs.rawValue, p.id,
            ])
        try requireChange("ipsecpolicy", p.id)
    }

    func deleteIPsecPolicy(_ id: IPsecPolicy.ID) throws {
        try db.cachedStatement(sql: "DELETE FROM vpn_ipsecpolicies WHERE id = ?").execute(arguments: [id])
        try requireChange("ipsecpolicy", id)
    }

    // MARK: - VPN services

    func vpnService(_ id: VPNService.ID) throws -> VPNService? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM vpn_services WHERE id = ?"), arguments: [id]).map(vpnService(from:))
    }

    func vpnServices(routerID: Router.ID?) throws -> [VPNService] {
        if let routerID {
            return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM vpn_services WHERE router_id = ?"), arguments: [routerID])
                .map(vpnService(from:))
        }
        return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM vpn_services")).map(vpnService(from:))
    }

    func vpnService(from row: Row) throws -> VPNService {
        VPNService(
            id: row["id"], projectID: row["project_id"], name: row["name"], description: row["description"],
            routerID: row["router_id"], subnetID: row["subnet_id"], adminStateUp: row["admin_state_up"],
            externalV4IP: (row["external_v4_ip"] as String?).flatMap(IPAddress.init),
            externalV6IP: (row["external_v6_ip"] as String?).flatMap(IPAddress.init),
            status: try decode(VPNStatus.self, row, "status"))
    }

    func insert(_ s: VPNService) throws {
        try db.cachedStatement(sql: """
                INSERT INTO vpn_services (id, project_id, name, description, router_id, subnet_id, admin_state_up,
                  external_v4_ip, external_v6_ip, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                s.id, s.projectID, s.name, s.description, s.routerID, s.subnetID, s.adminStateUp,
                s.externalV4IP?.description, s.externalV6IP?.description, s.status.rawValue,
            ])
    }

    func update(_ s: VPNService) throws {
        try db.cachedStatement(sql: """
                UPDATE vpn_services SET name = ?, description = ?, admin_state_up = ?, external_v4_ip = ?,
                  external_v6_ip = ?, status = ?
                WHERE id = ?
                """).execute(arguments: [
                s.name, s.description, s.adminStateUp, s.externalV4IP?.description, s.externalV6IP?.description,
                s.status.rawValue, s.id,
            ])
        try requireChange("vpnservice", s.id)
    }

    func deleteVPNService(_ id: VPNService.ID) throws {
        try db.cachedStatement(sql: "DELETE FROM vpn_services WHERE id = ?").execute(arguments: [id])
        try requireChange("vpnservice", id)
    }

    // MARK: - Endpoint groups

    func endpointGroup(_ id: EndpointGroup.ID) throws -> EndpointGroup? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM vpn_endpoint_groups WHERE id = ?"), arguments: [id])
            .map(endpointGroup(from:))
    }

    func endpointGroups() throws -> [EndpointGroup] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM vpn_endpoint_groups")).map(endpointGroup(from:))
    }

    func endpointGroup(from row: Row) throws -> EndpointGroup {
        EndpointGroup(
            id: row["id"], projectID: row["project_id"], name: row["name"], description: row["description"],
            type: try decode(EndpointGroup.Kind.self, row, "type"), endpoints: try Columns.strings(row["endpoints"]))
    }

    func insert(_ g: EndpointGroup) throws {
        try db.cachedStatement(sql: """
                INSERT INTO vpn_endpoint_groups (id, project_id, name, description, type, endpoints)
                VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [g.id, g.projectID, g.name, g.description, g.type.rawValue, try Columns.json(g.endpoints)])
    }

    func update(_ g: EndpointGroup) throws {
        try db.cachedStatement(sql: "UPDATE vpn_endpoint_groups SET name = ?, description = ? WHERE id = ?").execute(arguments: [g.name, g.description, g.id])
        try requireChange("endpoint_group", g.id)
    }

    func deleteEndpointGroup(_ id: EndpointGroup.ID) throws {
        try db.cachedStatement(sql: "DELETE FROM vpn_endpoint_groups WHERE id = ?").execute(arguments: [id])
        try requireChange("endpoint_group", id)
    }

    // MARK: - IPsec site connections

    func ipsecSiteConnection(_ id: IPsecSiteConnection.ID) throws -> IPsecSiteConnection? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM vpn_ipsec_site_connections WHERE id = ?"), arguments: [id])
            .map(connection(from:))
    }

    func ipsecSiteConnections() throws -> [IPsecSiteConnection] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM vpn_ipsec_site_connections")).map(connection(from:))
    }

    func connection(from row: Row) throws -> IPsecSiteConnection {
        let sealed: [UInt8] = Array(row["psk_sealed"] as Data)
        return IPsecSiteConnection(
            id: row["id"], projectID: row["project_id"], name: row["name"], description: row["description"],
            peerAddress: row["peer_address"], peerID: row["peer_id"], localID: row["local_id"],
            psk: try secrets.open(sealed), mtu: row["mtu"],
            initiator: try decode(IPsecSiteConnection.Initiator.self, row, "initiator"),
            dpd: .init(
                action: try decode(IPsecSiteConnection.DPD.Action.self, row, "dpd_action"),
                interval: row["dpd_interval"], timeout: row["dpd_timeout"]),
            adminStateUp: row["admin_state_up"], status: try decode(VPNStatus.self, row, "status"),
            vpnServiceID: row["vpnservice_id"], ikePolicyID: row["ikepolicy_id"], ipsecPolicyID: row["ipsecpolicy_id"],
            peerCIDRs: try Columns.strings(row["peer_cidrs"]).compactMap { CIDR($0) },
            localEPGroupID: row["local_ep_group_id"], peerEPGroupID: row["peer_ep_group_id"])
    }

    func insert(_ c: IPsecSiteConnection) throws {
        try db.cachedStatement(sql: """
                INSERT INTO vpn_ipsec_site_connections (id, project_id, name, description, vpnservice_id, ikepolicy_id,
                  ipsecpolicy_id, local_ep_group_id, peer_ep_group_id, peer_address, peer_id, local_id, psk_sealed,
                  peer_cidrs, mtu, initiator, dpd_action, dpd_interval, dpd_timeout, admin_state_up, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                c.id, c.projectID, c.name, c.description, c.vpnServiceID, c.ikePolicyID, c.ipsecPolicyID,
                c.localEPGroupID, c.peerEPGroupID, c.peerAddress, c.peerID, c.localID,
                Data(try secrets.seal(c.psk)), try Columns.json(c.peerCIDRs.map(\.description)), c.mtu,
                c.initiator.rawValue, c.dpd.action.rawValue, c.dpd.interval, c.dpd.timeout, c.adminStateUp,
                c.status.rawValue,
            ])
    }

    func update(_ c: IPsecSiteConnection) throws {
        try db.cachedStatement(sql: """
                UPDATE vpn_ipsec_site_connections SET name = ?, description = ?, local_ep_group_id = ?,
                  peer_ep_group_id = ?, peer_address = ?, peer_id = ?, local_id = ?, psk_sealed = ?, peer_cidrs = ?,
                  mtu = ?, initiator = ?, dpd_action = ?, dpd_interval = ?, dpd_timeout = ?, admin_state_up = ?,
                  status = ?
                WHERE id = ?
                """).execute(arguments: [
                c.name, c.description, c.localEPGroupID, c.peerEPGroupID, c.peerAddress, c.peerID, c.localID,
                Data(try secrets.seal(c.psk)), try Columns.json(c.peerCIDRs.map(\.description)), c.mtu,
                c.initiator.rawValue, c.dpd.action.rawValue, c.dpd.interval, c.dpd.timeout, c.adminStateUp,
                c.status.rawValue, c.id,
            ])
        try requireChange("ipsec_site_connection", c.id)
    }

    func deleteIPsecSiteConnection(_ id: IPsecSiteConnection.ID) throws {
        try db.cachedStatement(sql: "DELETE FROM vpn_ipsec_site_connections WHERE id = ?").execute(arguments: [id])
        try requireChange("ipsec_site_connection", id)
    }
}
