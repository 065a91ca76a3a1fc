import VPNaaSDomain

extension Router {
    static let access: [String: AttributeAccess] = [
        "id": .readOnly, "project_id": .postOnly, "tenant_id": .postOnly, "name": .postAndPut,
        "description": .postAndPut, "admin_state_up": .postAndPut, "status": .readOnly,
        "external_gateway_info": .postAndPut, "routes": .postAndPut, "flavor_id": .postOnly,
        "distributed": .postAndPut, "ha": .postAndPut, "availability_zone_hints": .postOnly,
        "availability_zones": .readOnly, "tags": .readOnly, "created_at": .readOnly, "updated_at": .readOnly,
        "revision_number": .readOnly,
    ]

    package static let filterable: Set<String> = Set(access.keys).union(["tags-any", "not-tags", "not-tags-any"])

    package static func parseCreate(_ body: JSONValue) throws(VPNaaSError) -> Create {
        let r = try AttributeReader(body: body, resource: "router", isCreate: true, access: access)
        var c = Create()
        c.projectID = try r.ownerProject()
        c.name = try r.string("name")
        c.description = try r.string("description")
        c.adminStateUp = try r.bool("admin_state_up")
        c.gateway = try gateway(r)
        c.routes = try r.routes("routes")
        c.flavorID = try r.nullableString("flavor_id", maxLength: 36)
        try refuseUnserved(r)
        _ = try r.list("availability_zone_hints") { (v: JSONValue) throws(VPNaaSError) in v }
        return c
    }

    package static func parseUpdate(_ body: JSONValue) throws(VPNaaSError) -> Update {
        let r = try AttributeReader(body: body, resource: "router", isCreate: false, access: access)
        var u = Update()
        u.name = try r.string("name")
        u.description = try r.string("description")
        u.adminStateUp = try r.bool("admin_state_up")
        u.gateway = try gateway(r)
        u.routes = try r.routes("routes")
        try refuseUnserved(r)
        return u
    }

    /// DVR and L3-HA are not served: only `false` is accepted, so nobody believes they got one.
    private static func refuseUnserved(_ r: AttributeReader) throws(VPNaaSError) {
        for key in ["distributed", "ha"] where try r.bool(key) == true {
            throw .badRequest("Invalid input for \(key). Reason: \(key) routers are not supported by this server.")
        }
    }

    private static func gateway(_ r: AttributeReader) throws(VPNaaSError) -> GatewayInput?? {
        guard let raw = r.raw("external_gateway_info") else { return nil }
        switch raw {
        case .null: return .some(nil)
        case .object(let o) where o.isEmpty: return .some(nil)
        case .object(let o):
            let known: Set<String> = ["network_id", "enable_snat", "external_fixed_ips"]
            let unknown = o.keys.filter { !known.contains($0) }
            guard unknown.isEmpty else {
                throw .invalidAttribute(
                    "external_gateway_info",
                    reason: "Validation of dictionary's keys failed. Expected keys: \(known.sorted()) Provided keys: \(o.keys.sorted())")
            }
            let inner = try AttributeReader(
                body: .object(["gw": raw]), resource: "gw", isCreate: true,
                access: ["network_id": .postOnly, "enable_snat": .postOnly, "external_fixed_ips": .postOnly])
            guard let network = try inner.uuid("network_id") else {
                throw .invalidAttribute("external_gateway_info", reason: "Validation of dictionary's keys failed. Expected keys: {'network_id'} Provided keys: \(o.keys.sorted())")
            }
            return .some(
                GatewayInput(
                    networkID: network, enableSNAT: try inner.bool("enable_snat"),
                    fixedIPs: try inner.fixedIPRequests("external_fixed_ips")))
        default:
            throw .invalidAttribute("external_gateway_info", reason: "'\(raw.pythonRepr)' is not a dictionary")
        }
    }

    package static func parseInterface(_ body: JSONValue) throws(VPNaaSError) -> InterfaceRequest {
        guard case .object(let o) = body else {
            throw .badRequest("Body contains invalid data")
        }
        var request = InterfaceRequest()
        for (key, value) in o.fields.map({ ($0.key, $0.value) }) {
            guard key == "subnet_id" || key == "port_id" else { continue }
            guard case .string(let s) = value, UUIDText.isValid(s) else {
                throw .invalidAttribute(key, reason: "'\(value.pythonRepr)' is not a valid UUID")
            }
            if key == "subnet_id" { request.subnetID = s.lowercased() } else { request.portID = s.lowercased() }
        }
        return request
    }

    /// The router as Neutron renders it (fixture 06 key order).
    package var wire: JSONObject {
        var o: JSONObject = [:]
        o["id"] = .string(id)
        o["name"] = .string(name)
        o["project_id"] = .string(projectID)
        o["admin_state_up"] = .bool(adminStateUp)
        o["status"] = .string(status)
        if let gateway {
            o["external_gateway_info"] = .object([
                "network_id": .string(gateway.networkID),
                "external_fixed_ips": .array(gateway.fixedIPs.map(\.wire)),
                "enable_snat": .bool(gateway.enableSNAT),
            ])
        } else {
            o["external_gateway_info"] = .null
        }
        o["description"] = .string(description)
        o["availability_zones"] = .array([])
        o["distributed"] = .bool(false)
        o["ha"] = .bool(false)
        o["availability_zone_hints"] = .array([])
        o["routes"] = .array(routes.map(\.wire))
        o["flavor_id"] = .null
        stamps.write(into: &o)
        o["tenant_id"] = .string(projectID)
        return o
    }
}

extension Router.InterfaceInfo {
    /// Fixture 07/90 keys, exactly.
    package var wire: JSONObject {
        [
            "id": .string(routerID), "project_id": .string(projectID), "port_id": .string(portID),
            "network_id": .string(networkID), "subnet_id": .string(subnetID),
            "subnet_ids": .array(subnetIDs.map(JSONValue.string)),
        ]
    }
}
