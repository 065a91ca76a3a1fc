import VPNaaSDomain

extension Port {
    static let access: [String: AttributeAccess] = [
        "id": .readOnly, "project_id": .postOnly, "tenant_id": .postOnly, "network_id": .postOnly,
        "name": .postAndPut, "description": .postAndPut, "mac_address": .postOnly, "admin_state_up": .postAndPut,
        "status": .readOnly, "device_id": .postAndPut, "device_owner": .postAndPut, "fixed_ips": .postAndPut,
        "port_security_enabled": .postAndPut, "binding:host_id": .postAndPut, "binding:vnic_type": .readOnly,
        "binding:profile": .readOnly, "binding:vif_type": .readOnly, "binding:vif_details": .readOnly,
        "security_groups": .readOnly, "allowed_address_pairs": .readOnly, "extra_dhcp_opts": .readOnly,
        "tags": .readOnly, "created_at": .readOnly, "updated_at": .readOnly, "revision_number": .readOnly,
    ]

    package static let filterable: Set<String> = Set(access.keys).union(["tags-any", "not-tags", "not-tags-any"])

    package static func parseCreate(_ body: JSONValue) throws(VPNaaSError) -> Create {
        let r = try AttributeReader(body: body, resource: "port", isCreate: true, access: access, required: ["network_id"])
        var c = Create()
        c.projectID = try r.ownerProject()
        c.networkID = try r.uuid("network_id") ?? ""
        c.name = try r.string("name")
        c.description = try r.string("description")
        if let mac = try r.string("mac_address") {
            guard let normalized = MACAddress.normalized(mac) else {
                throw .invalidAttribute("mac_address", reason: "'\(mac)' is not a valid MAC address")
            }
            c.macAddress = normalized
        }
        c.adminStateUp = try r.bool("admin_state_up")
        c.deviceID = try r.string("device_id")
        c.deviceOwner = try r.string("device_owner")
        c.fixedIPs = try r.fixedIPRequests("fixed_ips")
        c.portSecurityEnabled = try r.bool("port_security_enabled")
        c.bindingHostID = try r.string("binding:host_id")
        return c
    }

    package static func parseUpdate(_ body: JSONValue) throws(VPNaaSError) -> Update {
        let r = try AttributeReader(body: body, resource: "port", isCreate: false, access: access)
        var u = Update()
        u.name = try r.string("name")
        u.description = try r.string("description")
        u.adminStateUp = try r.bool("admin_state_up")
        u.deviceID = try r.string("device_id")
        u.deviceOwner = try r.string("device_owner")
        u.fixedIPs = try r.fixedIPRequests("fixed_ips")
        u.portSecurityEnabled = try r.bool("port_security_enabled")
        u.bindingHostID = try r.string("binding:host_id")
        return u
    }

    /// The port as Neutron renders it.
    package var wire: JSONObject {
        var o: JSONObject = [:]
        o["id"] = .string(id)
        o["name"] = .string(name)
        o["network_id"] = .string(networkID)
        o["tenant_id"] = .string(projectID)
        o["mac_address"] = .string(macAddress)
        o["admin_state_up"] = .bool(adminStateUp)
        o["status"] = .string(status)
        o["device_id"] = .string(deviceID)
        o["device_owner"] = .string(deviceOwner)
        o["fixed_ips"] = .array(fixedIPs.map(\.wire))
        o["project_id"] = .string(projectID)
        o["port_security_enabled"] = .bool(portSecurityEnabled)
        o["security_groups"] = .array([])
        o["allowed_address_pairs"] = .array([])
        o["extra_dhcp_opts"] = .array([])
        o["binding:host_id"] = .string(bindingHostID)
        o["binding:vnic_type"] = .string("normal")
        o["binding:profile"] = .object([:])
        o["binding:vif_type"] = .string(bindingHostID.isEmpty ? "unbound" : "ovs")
        o["binding:vif_details"] = .object([:])
        o["description"] = .string(description)
        stamps.write(into: &o)
        return o
    }
}
