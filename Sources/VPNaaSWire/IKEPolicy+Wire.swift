import VPNaaSDomain

extension IKEPolicy {
    static let access = VPNCommonAccess.with([
        "auth_algorithm": .postAndPut, "encryption_algorithm": .postAndPut, "phase1_negotiation_mode": .postAndPut,
        "lifetime": .postAndPut, "ike_version": .postAndPut, "pfs": .postAndPut,
    ])

    package static let filterable: Set<String> = Set(access.keys)

    package static func parseCreate(_ body: JSONValue) throws(VPNaaSError) -> Create {
        let r = try AttributeReader(body: body, resource: "ikepolicy", isCreate: true, access: access)
        var c = Create()
        c.projectID = try r.ownerProject()
        c.name = try r.string("name")
        c.description = try r.string("description")
        c.authAlgorithm = try r.value("auth_algorithm", of: AuthAlgorithm.self)
        c.encryptionAlgorithm = try r.value("encryption_algorithm", of: EncryptionAlgorithm.self)
        c.phase1NegotiationMode = try r.value("phase1_negotiation_mode", of: Phase1Mode.self)
        c.lifetime = try r.lifetime()
        c.ikeVersion = try r.value("ike_version", of: Version.self)
        c.pfs = try r.value("pfs", of: PFSGroup.self)
        return c
    }

    package static func parseUpdate(_ body: JSONValue) throws(VPNaaSError) -> Update {
        let r = try AttributeReader(body: body, resource: "ikepolicy", isCreate: false, access: access)
        var u = Update()
        u.name = try r.string("name")
        u.description = try r.string("description")
        u.authAlgorithm = try r.value("auth_algorithm", of: AuthAlgorithm.self)
        u.encryptionAlgorithm = try r.value("encryption_algorithm", of: EncryptionAlgorithm.self)
        u.phase1NegotiationMode = try r.value("phase1_negotiation_mode", of: Phase1Mode.self)
        u.lifetime = try r.lifetime()
        u.ikeVersion = try r.value("ike_version", of: Version.self)
        u.pfs = try r.value("pfs", of: PFSGroup.self)
        return u
    }

    /// Fixture 08 keys, in its order.
    package var wire: JSONObject {
        [
            "id": .string(id), "project_id": .string(projectID), "name": .string(name),
            "description": .string(description), "auth_algorithm": .string(authAlgorithm.rawValue),
            "encryption_algorithm": .string(encryptionAlgorithm.rawValue),
            "phase1_negotiation_mode": .string(phase1NegotiationMode.rawValue), "lifetime": lifetime.wire,
            "ike_version": .string(ikeVersion.rawValue), "pfs": .string(pfs.rawValue), "tenant_id": .string(projectID),
        ]
    }
}
