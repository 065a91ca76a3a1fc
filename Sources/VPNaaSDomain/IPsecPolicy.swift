/// Phase-2 (CHILD_SA) parameters.
package struct IPsecPolicy: Codable, Sendable, Equatable {
    package typealias ID = String

    package enum TransformProtocol: String, Codable, Sendable, CaseIterable {
        case esp, ah
        case ahESP = "ah-esp"
    }

    package enum EncapsulationMode: String, Codable, Sendable, CaseIterable { case tunnel, transport }

    package var id: ID
    package var projectID: String
    package var name: String
    package var description: String
    package var transformProtocol: TransformProtocol
    package var authAlgorithm: AuthAlgorithm
    package var encryptionAlgorithm: EncryptionAlgorithm
    package var encapsulationMode: EncapsulationMode
    package var lifetime: Lifetime
    package var pfs: PFSGroup

    package init(
        id: ID, projectID: String, name: String = "", description: String = "",
        transformProtocol: TransformProtocol = .esp, authAlgorithm: AuthAlgorithm = .sha256,
        encryptionAlgorithm: EncryptionAlgorithm = .aes128, encapsulationMode: EncapsulationMode = .tunnel,
        lifetime: Lifetime = .default, pfs: PFSGroup = .group5
    ) {
        self.id = id
        self.projectID = projectID
        self.name = name
        self.description = description
        self.transformProtocol = transformProtocol
        self.authAlgorithm = authAlgorithm
        self.encryptionAlgorithm = encryptionAlgorithm
        self.encapsulationMode = encapsulationMode
        self.lifetime = lifetime
        self.pfs = pfs
    }

    package struct Create: Sendable, Equatable {
        package var projectID: String?
        package var name: String?
        package var description: String?
        package var transformProtocol: TransformProtocol?
        package var authAlgorithm: AuthAlgorithm?
        package var encryptionAlgorithm: EncryptionAlgorithm?
        package var encapsulationMode: EncapsulationMode?
        package var lifetime: Lifetime.Input?
        package var pfs: PFSGroup?
        package init() {}
    }

    package struct Update: Sendable, Equatable {
        package var name: String?
        package var description: String?
        package var transformProtocol: TransformProtocol?
        package var authAlgorithm: AuthAlgorithm?
        package var encryptionAlgorithm: EncryptionAlgorithm?
        package var encapsulationMode: EncapsulationMode?
        package var lifetime: Lifetime.Input?
        package var pfs: PFSGroup?
        package init() {}
    }

    package static func make(id: ID, projectID: String, _ c: Create) -> IPsecPolicy {
        IPsecPolicy(
            id: id, projectID: projectID, name: c.name ?? "", description: c.description ?? "",
            transformProtocol: c.transformProtocol ?? .esp, authAlgorithm: c.authAlgorithm ?? .sha256,
            encryptionAlgorithm: c.encryptionAlgorithm ?? .aes128, encapsulationMode: c.encapsulationMode ?? .tunnel,
            lifetime: Lifetime.default.merged(c.lifetime), pfs: c.pfs ?? .group5)
    }

    package func applying(_ u: Update) -> IPsecPolicy {
        var p = self
        if let v = u.name { p.name = v }
        if let v = u.description { p.description = v }
        if let v = u.transformProtocol { p.transformProtocol = v }
        if let v = u.authAlgorithm { p.authAlgorithm = v }
        if let v = u.encryptionAlgorithm { p.encryptionAlgorithm = v }
        if let v = u.encapsulationMode { p.encapsulationMode = v }
        p.lifetime = lifetime.merged(u.lifetime)
        if let v = u.pfs { p.pfs = v }
        return p
    }
}
