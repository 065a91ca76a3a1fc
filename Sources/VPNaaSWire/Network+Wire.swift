import VPNaaSDomain

extension Network {
    static let access: [String: AttributeAccess] = [
        "id": .readOnly, "project_id": .postOnly, "tenant_id": .postOnly, "name": .postAndPut,
        "description": .postAndPut, "admin_state_up": .postAndPut, "shared": .postAndPut,
        "router:external": .postAndPut, "provider:network_type": .postAndPut,
        "provider:physical_network": .postAndPut, "provider:segmentation_id": .postAndPut, "mtu": .postAndPut,
        "port_security_enabled": .postAndPut, "vlan_transparent": .postOnly, "qinq": .postOnly,
        "is_default": .postAndPut, "availability_zone_hints": .postOnly, "status": .readOnly, "subnets": .readOnly,
        "availability_zones": .readOnly, "ipv4_address_scope": .readOnly, "ipv6_address_scope": .readOnly,
        "tags": .readOnly, "created_at": .readOnly, "updated_at": .readOnly, "revision_number": .readOnly,
    ]

    /// Attributes a network list can be filtered and sorted on.
    package static let filterable: Set<String> = Set(access.keys).subtracting(["tags"]).union([
        "tags", "tags-any", "not-tags", "not-tags-any",
    ])

    package static func parseCreate(_ body: JSONValue) throws(VPNaaSError) -> Create {
        let r = try AttributeReader(body: body, resource: "network", isCreate: true, access: access)
        var c = Create()
        c.projectID = try r.ownerProject()
        c.name = try r.string("name")
        c.description = try r.string("description")
        c.adminStateUp = try r.bool("admin_state_up")
        c.shared = try r.bool("shared")
        c.external = try r.bool("router:external")
        try readProvider(r, into: &c.networkType, &c.physicalNetwork, &c.segmentationID)
        c.mtu = try r.int("mtu")
        c.portSecurityEnabled = try r.bool("port_security_enabled")
        c.vlanTransparent = try r.bool("vlan_transparent")
        c.qinq = try r.bool("qinq")
        c.isDefault = try r.bool("is_default")
        c.availabilityZoneHints = try r.list("availability_zone_hints") { (v: JSONValue) throws(VPNaaSError) in
            guard case .string(let s) = v, s.count <= 255 else {
                throw .invalidAttribute("availability_zone_hints", reason: "'\(v.pythonRepr)' is not a valid string")
            }
            return s
        }
        return c
    }

    package static func parseUpdate(_ body: JSONValue) throws(VPNaaSError) -> Update {
        let r = try AttributeReader(body: body, resource: "network", isCreate: false, access: access)
        var u = Update()
        u.name = try r.string("name")
        u.description = try r.string("description")
        u.adminStateUp = try r.bool("admin_state_up")
        u.shared = try r.bool("shared")
        u.external = try r.bool("router:external")
        u.mtu = try r.int("mtu")
        u.portSecurityEnabled = try r.bool("port_security_enabled")
        u.isDefault = try r.bool("is_default")
        try readProvider(r, into: &u.networkType, &u.physicalNetwork, &u.segmentationID)
        return u
    }

    private static func readProvider(
        _ r: AttributeReader, into type: inout NetworkType?, _ physnet: inout String??, _ segment: inout Int??
    ) throws(VPNaaSError) {
        type = try r.value("provider:network_type", of: NetworkType.self)
        physnet = try r.nullableString("provider:physical_network", maxLength: 64)
        if let raw = r.raw("provider:segmentation_id") {
            if raw == .null {
                segment = .some(nil)
            } else {
                segment = .some(try r.int("provider:segmentation_id"))
            }
        }
    }

    /// The network as Neutron renders it (fixture 01 key order).
    package var wire: JSONObject {
        var o: JSONObject = [:]
        o["id"] = .string(id)
        o["name"] = .string(name)
        o["tenant_id"] = .string(projectID)
        o["project_id"] = .string(projectID)
        o["admin_state_up"] = .bool(adminStateUp)
        o["mtu"] = .int(mtu)
        o["status"] = .string(status)
        o["subnets"] = .array(subnetIDs.map(JSONValue.string))
        o["shared"] = .bool(shared)
        o["port_security_enabled"] = .bool(portSecurityEnabled)
        o["router:external"] = .bool(external)
        o["provider:network_type"] = .string(segment.networkType.rawValue)
        o["provider:physical_network"] = .string(segment.physicalNetwork)
        o["provider:segmentation_id"] = segment.segmentationID.map(JSONValue.int) ?? .null
        o["vlan_transparent"] = .bool(vlanTransparent)
        o["qinq"] = .bool(qinq)
        o["is_default"] = .bool(isDefault)
        o["availability_zone_hints"] = .array(availabilityZoneHints.map(JSONValue.string))
        o["availability_zones"] = .array([])
        o["ipv4_address_scope"] = .null
        o["ipv6_address_scope"] = .null
        o["description"] = .string(description)
        stamps.write(into: &o)
        return o
    }
}
