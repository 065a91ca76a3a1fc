import VPNaaSDomain

extension QuotaLimits {
    /// `{"network": 100, …}`: what `GET /v2.0/quotas/{project}` and `…/default` answer.
    package var wire: JSONObject {
        var o: JSONObject = [:]
        for resource in QuotaResource.allCases { o[resource.rawValue] = .int(self[resource]) }
        return o
    }

    /// One entry of `GET /v2.0/quotas`: the limits plus whose they are.
    package func wire(project: String) -> JSONObject {
        var o = wire
        o["project_id"] = .string(project)
        o["tenant_id"] = .string(project)
        return o
    }
}

extension QuotaUsage {
    /// `{"limit", "used", "reserved"}` as `quota_details` answers (the CLI reads exactly these keys).
    package var wire: JSONValue { .object(["limit": .int(limit), "used": .int(used), "reserved": .int(reserved)]) }
}

extension QuotaUpdate {
    /// `PUT /v2.0/quotas/{project}`: `{"quota": {"router": 20, "check_limit": true}}`. `force` and
    /// `check_limit` are the CLI's switches (Neutron pops them before validating the limits); as in
    /// Neutron 29 (`quota-check-limit-default`), usage is checked unless `force` is true.
    package static func parse(_ body: JSONValue) throws(VPNaaSError) -> QuotaUpdate {
        var access: [String: AttributeAccess] = ["force": .postAndPut, "check_limit": .postAndPut]
        for resource in QuotaResource.allCases { access[resource.rawValue] = .postAndPut }
        let reader = try AttributeReader(body: body, resource: "quota", isCreate: false, access: access)
        var update = QuotaUpdate(limits: [:], checkLimit: true)
        if let raw = reader.raw("check_limit") { update.checkLimit = AttributeReader.boolean(raw) ?? true }
        if let raw = reader.raw("force"), AttributeReader.boolean(raw) == true { update.checkLimit = false }
        for resource in QuotaResource.allCases {
            guard let value = reader.raw(resource.rawValue) else { continue }
            guard let limit = AttributeReader.integer(value) else {
                throw .invalidInput("'\(value.pythonRepr)' is not an integer")
            }
            if limit < -1 {
                throw .invalidAttribute(resource.rawValue, reason: "'\(limit)' is too small - must be at least '-1'")
            }
            if limit > QuotaLimits.maximum {
                throw .invalidAttribute(
                    resource.rawValue, reason: "'\(limit)' is too large - must be no larger than '\(QuotaLimits.maximum)'")
            }
            update.limits[resource] = limit
        }
        return update
    }
}
