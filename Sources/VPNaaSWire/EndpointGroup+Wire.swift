import VPNaaSDomain

extension EndpointGroup {
    static let access = VPNCommonAccess.with(["type": .postOnly, "endpoints": .postOnly])

    package static let filterable: Set<String> = Set(access.keys)

    package static func parseCreate(_ body: JSONValue) throws(VPNaaSError) -> Create {
        let r = try AttributeReader(body: body, resource: "endpoint_group", isCreate: true, access: access, required: ["type"])
        var c = Create()
        c.projectID = try r.ownerProject()
        c.name = try r.string("name")
        c.description = try r.string("description")
        c.type = try r.value("type", of: Kind.self) ?? .cidr
        c.endpoints = try r.stringList("endpoints")
        return c
    }

    package static func parseUpdate(_ body: JSONValue) throws(VPNaaSError) -> Update {
        let r = try AttributeReader(body: body, resource: "endpoint_group", isCreate: false, access: access)
        var u = Update()
        u.name = try r.string("name")
        u.description = try r.string("description")
        return u
    }

    /// Fixture 11 keys, in its order.
    package var wire: JSONObject {
        [
            "id": .string(id), "project_id": .string(projectID), "name": .string(name),
            "description": .string(description), "type": .string(type.rawValue),
            "endpoints": .array(endpoints.map(JSONValue.string)), "tenant_id": .string(projectID),
        ]
    }
}
