import VPNaaSDomain

extension IPsecPolicy {
    static let access = VPNCommonAccess.with([
        "transform_protocol": .postAndPut, "auth_algorithm": .postAndPut, "encryption_algorithm": .postAndPut,
        "encapsulation_mode": .postAndPut, "lifetime": .postAndPut, "pfs": .postAndPut,
    ])

    package static let filterable: Set<String> = Set(access.keys)

    package static func parseCreate(_ body: JSONValue) throws(VPNaaSError) -> Create {
        let r = try AttributeReader(body: body, resource: "ipsecpolicy", isCreate: true, access: access)
        var c = Create()
        c.projectID = try r.ownerProject()
        c.name = try r.string("name")
        c.description = try r.string("description")
        c.transformProtocol = try r.value("transform_protocol", of: TransformProtocol.self)
        c.authAlgorithm = try r.value("auth_algorithm", of: AuthAlgorithm.self)
        c.encryptionAlgorithm = try r.value("encryption_algorithm", of: EncryptionAlgorithm.self)
        c.encapsulationMode = try r.value("encapsulation_mode", of: EncapsulationMode.self)
        c.lifetime = try r.lifetime()
        c.pfs = try r.value("pfs", of: PFSGroup.self)
        return c
    }

    package static func parseUpdate(_ body: JSONValue) throws(VPNaaSError) -> Update {
        let r = try AttributeReader(body: body, resource: "ipsecpolicy", isCreate: false, access: access)
        var u = Update()
        u.name = try r.string("name")
        u.description = try r.string("description")
        u.transformProtocol = try r.value("transform_protocol", of: TransformProtocol.self)
        u.authAlgorithm = try r.value("auth_algorithm", of: AuthAlgorithm.self)
        u.encryptionAlgorithm = try r.value("encryption_algorithm", of: EncryptionAlgorithm.self)
        u.encapsulationMode = try r.value("encapsulation_mode", of: EncapsulationMode.self)
        u.lifetime = try r.lifetime()
        u.pfs = try r.value("pfs", of: PFSGroup.self)
        return u
    }

    /// Fixture 09 keys, in its order.
    package var wire: JSONObject {
        [
            "id": .string(id), "project_id": .string(projectID), "name": .string(name),
            "description": .string(description), "transform_protocol": .string(transformProtocol.rawValue),
            "auth_algorithm": .string(authAlgorithm.rawValue),
            "encryption_algorithm": .string(encryptionAlgorithm.rawValue),
            "encapsulation_mode": .string(encapsulationMode.rawValue), "lifetime": lifetime.wire,
            "pfs": .string(pfs.rawValue), "tenant_id": .string(projectID),
        ]
    }
}
