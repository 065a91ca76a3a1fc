import VPNaaSDomain

extension AttributeReader {
    /// `project_id` / `tenant_id` on create: either, or both when equal.
    package func ownerProject() throws(VPNaaSError) -> String? {
        let project = try string("project_id")
        let tenant = try string("tenant_id")
        if let project, let tenant, project != tenant {
            throw .badRequest("'project_id' and 'tenant_id' do not match")
        }
        return project ?? tenant
    }

    /// A list of `{subnet_id?, ip_address?}` objects (`fixed_ips`, `external_fixed_ips`).
    package func fixedIPRequests(_ key: String) throws(VPNaaSError) -> [FixedIPRequest]? {
        try list(key) { (item: JSONValue) throws(VPNaaSError) -> FixedIPRequest in
            guard case .object(let o) = item, Set(o.keys).isSubset(of: ["subnet_id", "ip_address"]), !o.isEmpty else {
                throw .invalidAttribute(key, reason: "Invalid data format for fixed IP: '\(item.pythonRepr)'")
            }
            var request = FixedIPRequest()
            if let s = o["subnet_id"] {
                guard case .string(let id) = s, UUIDText.isValid(id) else {
                    throw .invalidAttribute(key, reason: "'\(s.pythonRepr)' is not a valid UUID")
                }
                request.subnetID = id.lowercased()
            }
            if let a = o["ip_address"] {
                guard case .string(let text) = a, let ip = IPAddress(text) else {
                    throw .invalidAttribute(key, reason: "'\(a.pythonRepr)' is not a valid IP address")
                }
                request.ipAddress = ip
            }
            return request
        }
    }

    /// A list of `{destination, nexthop}` routes; null is the empty list (`convert_none_to_empty_list` on
    /// router `routes` and subnet `host_routes`).
    package func routes(_ key: String) throws(VPNaaSError) -> [HostRoute]? {
        let routes = try list(key, nullAsEmpty: true) { (item: JSONValue) throws(VPNaaSError) -> HostRoute in
            guard case .object(let o) = item, Set(o.keys) == ["destination", "nexthop"],
                let d = o["destination"]?.stringValue, let n = o["nexthop"]?.stringValue
            else {
                throw .invalidAttribute(key, reason: "Invalid data format for hostroute: '\(item.pythonRepr)'")
            }
            guard let cidr = CIDR(d), cidr.isNormalized, d.contains("/") else {
                throw .invalidAttribute(key, reason: "'\(d)' is not a valid IP subnet")
            }
            guard let hop = IPAddress(n) else {
                throw .invalidAttribute(key, reason: "'\(n)' is not a valid IP address")
            }
            return HostRoute(destination: cidr, nexthop: hop)
        }
        if let routes {
            for (i, r) in routes.enumerated() where routes[..<i].contains(r) {
                throw .invalidAttribute(key, reason: "Duplicate hostroute '\(r.destination) \(r.nexthop)'")
            }
        }
        return routes
    }
}

extension Stamps {
    /// Neutron's standard attributes as they close every core resource.
    func write(into o: inout JSONObject) {
        o["tags"] = .array([])
        o["created_at"] = .string(createdAt.description)
        o["updated_at"] = .string(updatedAt.description)
        o["revision_number"] = .int(revision)
    }
}

extension JSONValue {
    static func string(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    static func ip(_ ip: IPAddress?) -> JSONValue { ip.map { .string($0.description) } ?? .null }
}

extension HostRoute {
    var wire: JSONValue { .object(["destination": .string(destination.description), "nexthop": .string(nexthop.description)]) }
}

extension FixedIP {
    var wire: JSONValue { .object(["subnet_id": .string(subnetID), "ip_address": .string(ipAddress.description)]) }
}
