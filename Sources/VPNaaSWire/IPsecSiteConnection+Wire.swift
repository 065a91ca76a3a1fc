import VPNaaSDomain

extension IPsecSiteConnection {
    static let access = VPNCommonAccess.with([
        "vpnservice_id": .postOnly, "ikepolicy_id": .postOnly, "ipsecpolicy_id": .postOnly,
        "peer_address": .postAndPut, "peer_id": .postAndPut, "local_id": .postAndPut, "psk": .postAndPut,
        "peer_cidrs": .postAndPut, "local_ep_group_id": .postAndPut, "peer_ep_group_id": .postAndPut,
        "mtu": .postAndPut, "initiator": .postAndPut, "dpd": .postAndPut, "admin_state_up": .postAndPut,
        "route_mode": .readOnly, "auth_mode": .readOnly, "status": .readOnly,
    ])

    package static let filterable: Set<String> = Set(access.keys)

    static let required = ["peer_address", "peer_id", "psk", "vpnservice_id", "ikepolicy_id", "ipsecpolicy_id"]

    package static func parseCreate(_ body: JSONValue) throws(VPNaaSError) -> Create {
        let r = try AttributeReader(
            body: body, resource: "ipsec_site_connection", isCreate: true, access: access, required: required)
        var c = Create()
        c.projectID = try r.ownerProject()
        c.name = try r.string("name")
        c.description = try r.string("description")
        c.vpnServiceID = try r.uuid("vpnservice_id") ?? ""
        c.ikePolicyID = try r.uuid("ikepolicy_id") ?? ""
        c.ipsecPolicyID = try r.uuid("ipsecpolicy_id") ?? ""
        c.peerAddress = try r.string("peer_address") ?? ""
        c.peerID = try r.string("peer_id") ?? ""
        c.localID = try r.string("local_id")
        c.psk = try psk(r) ?? ""
        c.peerCIDRs = try r.peerCIDRs()
        c.localEPGroupID = try r.nullableUUID("local_ep_group_id")
        c.peerEPGroupID = try r.nullableUUID("peer_ep_group_id")
        c.mtu = try r.nonNegative("mtu")
        c.initiator = try r.value("initiator", of: Initiator.self)
        c.dpd = try r.dpd()
        c.adminStateUp = try r.bool("admin_state_up")
        return c
    }

    package static func parseUpdate(_ body: JSONValue) throws(VPNaaSError) -> Update {
        let r = try AttributeReader(body: body, resource: "ipsec_site_connection", isCreate: false, access: access)
        var u = Update()
        u.name = try r.string("name")
        u.description = try r.string("description")
        u.peerAddress = try r.string("peer_address")
        u.peerID = try r.string("peer_id")
        u.localID = try r.string("local_id")
        u.psk = try psk(r)
        u.peerCIDRs = try r.peerCIDRs()
        u.localEPGroupID = try r.nullableUUID("local_ep_group_id")
        u.peerEPGroupID = try r.nullableUUID("peer_ep_group_id")
        u.mtu = try r.nonNegative("mtu")
        u.initiator = try r.value("initiator", of: Initiator.self)
        u.dpd = try r.dpd()
        u.adminStateUp = try r.bool("admin_state_up")
        return u
    }

    /// The PSK: a string of at most 255 characters. Unlike other attributes, errors never echo the value.
    static func psk(_ r: AttributeReader) throws(VPNaaSError) -> String? {
        guard let value = r.raw("psk") else { return nil }
        guard case .string(let s) = value else { throw .invalidAttribute("psk", reason: "psk is not a valid string") }
        guard s.count <= 255 else { throw .invalidAttribute("psk", reason: "psk exceeds maximum length of 255.") }
        return s
    }

    /// Fixture 13 keys, in its order. The PSK is shown as Neutron does (to the owner and admins only,
    /// since nobody else can see the connection at all).
    package var wire: JSONObject {
        [
            "id": .string(id), "project_id": .string(projectID), "name": .string(name),
            "description": .string(description), "peer_address": .string(peerAddress), "peer_id": .string(peerID),
            "local_id": .string(localID), "route_mode": .string("static"), "mtu": .int(mtu),
            "auth_mode": .string("psk"), "psk": .string(psk), "initiator": .string(initiator.rawValue),
            "dpd": dpd.wire, "admin_state_up": .bool(adminStateUp), "status": .string(status.rawValue),
            "vpnservice_id": .string(vpnServiceID), "ikepolicy_id": .string(ikePolicyID),
            "ipsecpolicy_id": .string(ipsecPolicyID),
            "peer_cidrs": .array(peerCIDRs.map { .string($0.description) }),
            "local_ep_group_id": .string(localEPGroupID), "peer_ep_group_id": .string(peerEPGroupID),
            "tenant_id": .string(projectID),
        ]
    }
}
