
import VPNaaSDomain

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The VPNaaS rows. Enum columns are decoded strictly: a value the schema should have refused is a
/// store error, never a silent default.
extension SQLAccess {
    private func decode<E: RawRepresentable>(_ type: E.Type, _ row: SQLRow, _ column: String) throws -> E
    where E.RawValue == String {
        guard let value = E(rawValue: row[column] as String) else {
            throw StoreError(code: .other, message: "bad \(column) in row \(row["id"] as String)")
        }
        return value
    }

    private func lifetime(_ row: SQLRow) throws -> Lifetime {
        Lifetime(units: try decode(Lifetime.Units.self, row, "lifetime_units"), value: row["lifetime_value"])
    }

    // MARK: - IKE policies

    func ikePolicy(_ id: IKEPolicy.ID) async throws -> IKEPolicy? {
        try await one("SELECT * FROM vpn_ikepolicies WHERE id = ?", [id], ikePolicy(from:))
    }

    func ikePolicies() async throws -> [IKEPolicy] {
        try await all("SELECT * FROM vpn_ikepolicies", [], ikePolicy(from:))
    }

    func ikePolicy(from row: SQLRow) throws -> IKEPolicy {
        IKEPolicy(
            id: row["id"], projectID: row["project_id"], name: row["name"], description: row["description"],
            authAlgorithm: try decode(AuthAlgorithm.self, row, "auth_algorithm"),
            encryptionAlgorithm: try decode(EncryptionAlgorithm.self, row, "encryption_algorithm"),
            phase1NegotiationMode: try decode(IKEPolicy.Phase1Mode.self, row, "phase1_negotiation_mode"),
            lifetime: try lifetime(row), ikeVersion: try decode(IKEPolicy.Version.self, row, "ike_version"),
            pfs: try decode(PFSGroup.self, row, "pfs"))
    }

    func insert(_ p: IKEPolicy) async throws {
        try await insertIKEPolicy(p, within: nil)
    }

    func insert(_ p: IKEPolicy, within quota: QuotaGuard) async throws -> Bool {
        try await insertIKEPolicy(p, within: quota) > 0
    }

    private func insertIKEPolicy(_ p: IKEPolicy, within quota: QuotaGuard?) async throws -> Int {
        try await insertRow(
            "vpn_ikepolicies",
            ["id", "project_id", "name", "description", "auth_algorithm", "encryption_algorithm", "phase1_negotiation_mode",
             "lifetime_units", "lifetime_value", "ike_version", "pfs"],
            [p.id, p.projectID, p.name, p.description, p.authAlgorithm.rawValue, p.encryptionAlgorithm.rawValue,
             p.phase1NegotiationMode.rawValue, p.lifetime.units.rawValue, p.lifetime.value, p.ikeVersion.rawValue,
             p.pfs.rawValue],
            within: quota)
    }

    func update(_ p: IKEPolicy) async throws {
        try requireChange(await run("""
                UPDATE vpn_ikepolicies SET name = ?, description = ?, auth_algorithm = ?, encryption_algorithm = ?,
                  phase1_negotiation_mode = ?, lifetime_units = ?, lifetime_value = ?, ike_version = ?, pfs = ?
                WHERE id = ?
                """, [
                p.name, p.description, p.authAlgorithm.rawValue, p.encryptionAlgorithm.rawValue,
                p.phase1NegotiationMode.rawValue, p.lifetime.units.rawValue, p.lifetime.value, p.ikeVersion.rawValue,
                p.pfs.rawValue, p.id,
            ]), "ikepolicy", p.id)
    }

    func deleteIKEPolicy(_ id: IKEPolicy.ID) async throws {
        try requireChange(await run("DELETE FROM vpn_ikepolicies WHERE id = ?", [id]), "ikepolicy", id)
    }

    // MARK: - IPsec policies

    func ipsecPolicy(_ id: IPsecPolicy.ID) async throws -> IPsecPolicy? {
        try await one("SELECT * FROM vpn_ipsecpolicies WHERE id = ?", [id], ipsecPolicy(from:))
    }

    func ipsecPolicies() async throws -> [IPsecPolicy] {
        try await all("SELECT * FROM vpn_ipsecpolicies", [], ipsecPolicy(from:))
    }

    func ipsecPolicy(from row: SQLRow) throws -> IPsecPolicy {
        IPsecPolicy(
            id: row["id"], projectID: row["project_id"], name: row["name"], description: row["description"],
            transformProtocol: try decode(IPsecPolicy.TransformProtocol.self, row, "transform_protocol"),
            authAlgorithm: try decode(AuthAlgorithm.self, row, "auth_algorithm"),
            encryptionAlgorithm: try decode(EncryptionAlgorithm.self, row, "encryption_algorithm"),
            encapsulationMode: try decode(IPsecPolicy.EncapsulationMode.self, row, "encapsulation_mode"),
            lifetime: try lifetime(row), pfs: try decode(PFSGroup.self, row, "pfs"))
    }

    func insert(_ p: IPsecPolicy) async throws {
        try await insertIPsecPolicy(p, within: nil)
    }

    func insert(_ p: IPsecPolicy, within quota: QuotaGuard) async throws -> Bool {
        try await insertIPsecPolicy(p, within: quota) > 0
    }

    private func insertIPsecPolicy(_ p: IPsecPolicy, within quota: QuotaGuard?) async throws -> Int {
        try await insertRow(
            "vpn_ipsecpolicies",
            ["id", "project_id", "name", "description", "transform_protocol", "auth_algorithm", "encryption_algorithm",
             "encapsulation_mode", "lifetime_units", "lifetime_value", "pfs"],
            [p.id, p.projectID, p.name, p.description, p.transformProtocol.rawValue, p.authAlgorithm.rawValue,
             p.encryptionAlgorithm.rawValue, p.encapsulationMode.rawValue, p.lifetime.units.rawValue,
             p.lifetime.value, p.pfs.rawValue],
            within: quota)
    }

    func update(_ p: IPsecPolicy) async throws {
        try requireChange(await run("""
                UPDATE vpn_ipsecpolicies SET name = ?, description = ?, transform_protocol = ?, auth_algorithm = ?,
                  encryption_algorithm = ?, encapsulation_mode = ?, lifetime_units = ?, lifetime_value = ?, pfs = ?
                WHERE id = ?
                """, [
                p.name, p.description, p.transformProtocol.rawValue, p.authAlgorithm.rawValue,
                p.encryptionAlgorithm.rawValue, p.encapsulationMode.rawValue, p.lifetime.units.rawValue,
                p.lifetime.value, p.pfs.rawValue, p.id,
            ]), "ipsecpolicy", p.id)
    }

    func deleteIPsecPolicy(_ id: IPsecPolicy.ID) async throws {
        try requireChange(await run("DELETE FROM vpn_ipsecpolicies WHERE id = ?", [id]), "ipsecpolicy", id)
    }

    // MARK: - VPN services

    func vpnService(_ id: VPNService.ID) async throws -> VPNService? {
        try await one("SELECT * FROM vpn_services WHERE id = ?", [id], vpnService(from:))
    }

    func vpnServices(routerID: Router.ID?) async throws -> [VPNService] {
        if let routerID {
            return try await all("SELECT * FROM vpn_services WHERE router_id = ?", [routerID], vpnService(from:))
        }
        return try await all("SELECT * FROM vpn_services", [], vpnService(from:))
    }

    func vpnService(from row: SQLRow) throws -> VPNService {
        VPNService(
            id: row["id"], projectID: row["project_id"], name: row["name"], description: row["description"],
            routerID: row["router_id"], subnetID: row["subnet_id"], adminStateUp: row["admin_state_up"],
            externalV4IP: (row["external_v4_ip"] as String?).flatMap(IPAddress.init),
            externalV6IP: (row["external_v6_ip"] as String?).flatMap(IPAddress.init),
            status: try decode(VPNStatus.self, row, "status"))
    }

    func insert(_ s: VPNService) async throws {
        try await run("""
                INSERT INTO vpn_services (id, project_id, name, description, router_id, subnet_id, admin_state_up,
                  external_v4_ip, external_v6_ip, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                s.id, s.projectID, s.name, s.description, s.routerID, s.subnetID, s.adminStateUp,
                s.externalV4IP?.description, s.externalV6IP?.description, s.status.rawValue,
            ])
    }

    func update(_ s: VPNService) async throws {
        try requireChange(await run("""
                UPDATE vpn_services SET name = ?, description = ?, admin_state_up = ?, external_v4_ip = ?,
                  external_v6_ip = ?, status = ?
                WHERE id = ?
                """, [
                s.name, s.description, s.adminStateUp, s.externalV4IP?.description, s.externalV6IP?.description,
                s.status.rawValue, s.id,
            ]), "vpnservice", s.id)
    }

    func deleteVPNService(_ id: VPNService.ID) async throws {
        try requireChange(await run("DELETE FROM vpn_services WHERE id = ?", [id]), "vpnservice", id)
    }

    // MARK: - Endpoint groups

    func endpointGroup(_ id: EndpointGroup.ID) async throws -> EndpointGroup? {
        try await one("SELECT * FROM vpn_endpoint_groups WHERE id = ?", [id], endpointGroup(from:))
    }

    func endpointGroups() async throws -> [EndpointGroup] {
        try await all("SELECT * FROM vpn_endpoint_groups", [], endpointGroup(from:))
    }

    func endpointGroup(from row: SQLRow) throws -> EndpointGroup {
        EndpointGroup(
            id: row["id"], projectID: row["project_id"], name: row["name"], description: row["description"],
            type: try decode(EndpointGroup.Kind.self, row, "type"), endpoints: try Columns.strings(row["endpoints"]))
    }

    func insert(_ g: EndpointGroup) async throws {
        try await run("""
                INSERT INTO vpn_endpoint_groups (id, project_id, name, description, type, endpoints)
                VALUES (?, ?, ?, ?, ?, ?)
                """, [g.id, g.projectID, g.name, g.description, g.type.rawValue, try Columns.json(g.endpoints)])
    }

    func update(_ g: EndpointGroup) async throws {
        try requireChange(await run("UPDATE vpn_endpoint_groups SET name = ?, description = ? WHERE id = ?", [g.name, g.description, g.id]), "endpoint_group", g.id)
    }

    func deleteEndpointGroup(_ id: EndpointGroup.ID) async throws {
        try requireChange(await run("DELETE FROM vpn_endpoint_groups WHERE id = ?", [id]), "endpoint_group", id)
    }

    // MARK: - IPsec site connections

    func ipsecSiteConnection(_ id: IPsecSiteConnection.ID) async throws -> IPsecSiteConnection? {
        try await one("SELECT * FROM vpn_ipsec_site_connections WHERE id = ?", [id], connection(from:))
    }

    func ipsecSiteConnections() async throws -> [IPsecSiteConnection] {
        try await all("SELECT * FROM vpn_ipsec_site_connections", [], connection(from:))
    }

    func connection(from row: SQLRow) throws -> IPsecSiteConnection {
        let sealed: [UInt8] = row["psk_sealed"]
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

    func insert(_ c: IPsecSiteConnection) async throws {
        try await run("""
                INSERT INTO vpn_ipsec_site_connections (id, project_id, name, description, vpnservice_id, ikepolicy_id,
                  ipsecpolicy_id, local_ep_group_id, peer_ep_group_id, peer_address, peer_id, local_id, psk_sealed,
                  peer_cidrs, mtu, initiator, dpd_action, dpd_interval, dpd_timeout, admin_state_up, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                c.id, c.projectID, c.name, c.description, c.vpnServiceID, c.ikePolicyID, c.ipsecPolicyID,
                c.localEPGroupID, c.peerEPGroupID, c.peerAddress, c.peerID, c.localID,
                try secrets.seal(c.psk), try Columns.json(c.peerCIDRs.map(\.description)), c.mtu,
                c.initiator.rawValue, c.dpd.action.rawValue, c.dpd.interval, c.dpd.timeout, c.adminStateUp,
                c.status.rawValue,
            ])
    }

    func update(_ c: IPsecSiteConnection) async throws {
        try requireChange(await run("""
                UPDATE vpn_ipsec_site_connections SET name = ?, description = ?, local_ep_group_id = ?,
                  peer_ep_group_id = ?, peer_address = ?, peer_id = ?, local_id = ?, psk_sealed = ?, peer_cidrs = ?,
                  mtu = ?, initiator = ?, dpd_action = ?, dpd_interval = ?, dpd_timeout = ?, admin_state_up = ?,
                  status = ?
                WHERE id = ?
                """, [
                c.name, c.description, c.localEPGroupID, c.peerEPGroupID, c.peerAddress, c.peerID, c.localID,
                try secrets.seal(c.psk), try Columns.json(c.peerCIDRs.map(\.description)), c.mtu,
                c.initiator.rawValue, c.dpd.action.rawValue, c.dpd.interval, c.dpd.timeout, c.adminStateUp,
                c.status.rawValue, c.id,
            ]), "ipsec_site_connection", c.id)
    }

    func deleteIPsecSiteConnection(_ id: IPsecSiteConnection.ID) async throws {
        try requireChange(await run("DELETE FROM vpn_ipsec_site_connections WHERE id = ?", [id]), "ipsec_site_connection", id)
    }
}
