import VPNaaSDomain

extension Subnet {
    static let access: [String: AttributeAccess] = [
        "id": .readOnly, "project_id": .postOnly, "tenant_id": .postOnly, "network_id": .postOnly,
        "name": .postAndPut, "description": .postAndPut, "ip_version": .postOnly, "cidr": .postOnly,
        "gateway_ip": .postAndPut, "enable_dhcp": .postAndPut, "ipv6_ra_mode": .postOnly,
        "ipv6_address_mode": .postOnly, "allocation_pools": .postAndPut, "dns_nameservers": .postAndPut,
        "host_routes": .postAndPut, "subnetpool_id": .postOnly, "service_types": .readOnly,
        "router:external": .readOnly, "tags": .readOnly, "created_at": .readOnly, "updated_at": .readOnly,
        "revision_number": .readOnly,
    ]

    package static let filterable: Set<String> = Set(access.keys).union(["tags-any", "not-tags", "not-tags-any"])

    package static func parseCreate(_ body: JSONValue) throws(VPNaaSError) -> Create {
        let r = try AttributeReader(
            body: body, resource: "subnet", isCreate: true, access: access, required: ["network_id", "ip_version"])
        var c = Create()
        c.projectID = try r.ownerProject()
        c.networkID = try r.uuid("network_id") ?? ""
        c.name = try r.string("name")
        c.description = try r.string("description")
        let version = try r.int("ip_version") ?? 4
        guard version == 4 || version == 6 else {
            throw .invalidAttribute("ip_version", reason: "\(version) is not in valid_values.")
        }
        c.ipVersion = version
        if let raw = r.raw("cidr"), raw != .null {
            guard case .string(let text) = raw, text.contains("/"), CIDR(text) != nil else {
                throw .invalidAttribute("cidr", reason: "'\(raw.pythonRepr)' is not a valid IP subnet")
            }
            c.cidr = text
        }
        c.gatewayIP = try r.ip("gateway_ip")
        c.enableDHCP = try r.bool("enable_dhcp")
        c.ipv6RAMode = try nullableMode(r, "ipv6_ra_mode")
        c.ipv6AddressMode = try nullableMode(r, "ipv6_address_mode")
        c.allocationPools = try pools(r)
        c.dnsNameservers = try nameservers(r)
        c.hostRoutes = try r.routes("host_routes")
        c.subnetPoolID = try r.nullableUUID("subnetpool_id")
        return c
    }

    package static func parseUpdate(_ body: JSONValue) throws(VPNaaSError) -> Update {
        let r = try AttributeReader(body: body, resource: "subnet", isCreate: false, access: access)
        var u = Update()
        u.name = try r.string("name")
        u.description = try r.string("description")
        u.gatewayIP = try r.ip("gateway_ip")
        u.enableDHCP = try r.bool("enable_dhcp")
        u.allocationPools = try pools(r)
        u.dnsNameservers = try nameservers(r)
        u.hostRoutes = try r.routes("host_routes")
        return u
    }

    private static func nullableMode(_ r: AttributeReader, _ key: String) throws(VPNaaSError) -> IPv6Mode?? {
        guard let raw = r.raw(key) else { return nil }
        if raw == .null { return .some(nil) }
        return .some(try r.value(key, of: IPv6Mode.self))
    }

    /// `allocation_pools` has no null conversion in neutron-lib: null answers its `validate_ip_pools` message.
    private static func pools(_ r: AttributeReader) throws(VPNaaSError) -> [AllocationPool]? {
        if let raw = r.raw("allocation_pools"), !raw.isArray {
            throw .invalidAttribute("allocation_pools", reason: "Invalid data format for IP pool: '\(raw.pythonRepr)'")
        }
        return try r.list("allocation_pools") { (item: JSONValue) throws(VPNaaSError) -> AllocationPool in
            guard case .object(let o) = item, Set(o.keys) == ["start", "end"],
                let s = o["start"]?.stringValue, let e = o["end"]?.stringValue
            else {
                throw .invalidAttribute(
                    "allocation_pools", reason: "Invalid data format for IP pool: '\(item.pythonRepr)'")
            }
            guard let start = IPAddress(s) else {
                throw .invalidAttribute("allocation_pools", reason: "'\(s)' is not a valid IP address")
            }
            guard let end = IPAddress(e) else {
                throw .invalidAttribute("allocation_pools", reason: "'\(e)' is not a valid IP address")
            }
            return AllocationPool(start: start, end: end)
        }
    }

    private static func nameservers(_ r: AttributeReader) throws(VPNaaSError) -> [IPAddress]? {
        let list = try r.list("dns_nameservers", nullAsEmpty: true) { (item: JSONValue) throws(VPNaaSError) -> IPAddress in
            guard case .string(let s) = item, let ip = IPAddress(s) else {
                throw .invalidAttribute("dns_nameservers", reason: "'\(item.pythonRepr)' is not a valid nameserver.")
            }
            return ip
        }
        if let list {
            for (i, ip) in list.enumerated() where list[..<i].contains(ip) {
                throw .invalidAttribute("dns_nameservers", reason: "Duplicate nameserver '\(ip)'.")
            }
        }
        return list
    }

    /// The subnet as Neutron renders it (fixture 02 key order); `external` is its network's router:external.
    package func wire(external: Bool) -> JSONObject {
        var o: JSONObject = [:]
        o["id"] = .string(id)
        o["name"] = .string(name)
        o["project_id"] = .string(projectID)
        o["network_id"] = .string(networkID)
        o["ip_version"] = .int(ipVersion)
        o["subnetpool_id"] = .null
        o["enable_dhcp"] = .bool(enableDHCP)
        o["ipv6_ra_mode"] = .string(ipv6RAMode?.rawValue)
        o["ipv6_address_mode"] = .string(ipv6AddressMode?.rawValue)
        o["gateway_ip"] = .ip(gatewayIP)
        o["cidr"] = .string(cidr.description)
        o["allocation_pools"] = .array(
            allocationPools.map { .object(["start": .string($0.start.description), "end": .string($0.end.description)]) })
        o["host_routes"] = .array(hostRoutes.map(\.wire))
        o["dns_nameservers"] = .array(dnsNameservers.map { .string($0.description) })
        o["description"] = .string(description)
        o["router:external"] = .bool(external)
        o["service_types"] = .array([])
        stamps.write(into: &o)
        o["tenant_id"] = .string(projectID)
        return o
    }
}
