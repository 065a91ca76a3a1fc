import VPNaaSDomain

extension VPNService {
    static let access = VPNCommonAccess.with([
        "router_id": .postOnly, "subnet_id": .postOnly, "flavor_id": .postOnly, "admin_state_up": .postAndPut,
        "external_v4_ip": .readOnly, "external_v6_ip": .readOnly, "status": .readOnly,
    ])

    package static let filterable: Set<String> = Set(access.keys)

    package static func parseCreate(_ body: JSONValue) throws(VPNaaSError) -> Create {
        let r = try AttributeReader(body: body, resource: "vpnservice", isCreate: true, access: access, required: ["router_id"])
        var c = Create()
        c.projectID = try r.ownerProject()
        c.name = try r.string("name")
        c.description = try r.string("description")
        c.routerID = try r.uuid("router_id") ?? ""
        c.subnetID = try r.nullableUUID("subnet_id")
        c.flavorID = try r.nullableString("flavor_id", maxLength: 36)
        c.adminStateUp = try r.bool("admin_state_up")
        return c
    }

    package static func parseUpdate(_ body: JSONValue) throws(VPNaaSError) -> Update {
        let r = try AttributeReader(body: body, resource: "vpnservice", isCreate: false, access: access)
        var u = Update()
        u.name = try r.string("name")
        u.description = try r.string("description")
        u.adminStateUp = try r.bool("admin_state_up")
        return u
    }

    /// Fixture 10 keys, in its order.
    package var wire: JSONObject {
        [
            "id": .string(id), "name": .string(name), "description": .string(description),
            "project_id": .string(projectID), "subnet_id": .string(subnetID), "router_id": .string(routerID),
            "flavor_id": .null, "admin_state_up": .bool(adminStateUp), "external_v4_ip": .ip(externalV4IP),
            "external_v6_ip": .ip(externalV6IP), "status": .string(status.rawValue), "tenant_id": .string(projectID),
        ]
    }
}
