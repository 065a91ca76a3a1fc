/// Phase-1 (IKE SA) parameters.
package struct IKEPolicy: Codable, Sendable, Equatable {
    package typealias ID = String

    package enum Version: String, Codable, Sendable, CaseIterable { case v1, v2 }
    package enum Phase1Mode: String, Codable, Sendable, CaseIterable { case main, aggressive }

    package var id: ID
    package var projectID: String
    package var name: String
    package var description: String
    package var authAlgorithm: AuthAlgorithm
    package var encryptionAlgorithm: EncryptionAlgorithm
    package var phase1NegotiationMode: Phase1Mode
    package var lifetime: Lifetime
    package var ikeVersion: Version
    package var pfs: PFSGroup

    package init(
        id: ID, projectID: String, name: String = "", description: String = "",
        authAlgorithm: AuthAlgorithm = .sha256, encryptionAlgorithm: EncryptionAlgorithm = .aes128,
        phase1NegotiationMode: Phase1Mode = .main, lifetime: Lifetime = .default, ikeVersion: Version = .v1,
        pfs: PFSGroup = .group5
    ) {
        self.id = id
        self.projectID = projectID
        self.name = name
        self.description = description
        self.authAlgorithm = authAlgorithm
        self.encryptionAlgorithm = encryptionAlgorithm
        self.phase1NegotiationMode = phase1NegotiationMode
        self.lifetime = lifetime
        self.ikeVersion = ikeVersion
        self.pfs = pfs
    }

    package struct Create: Sendable, Equatable {
        package var projectID: String?
        package var name: String?
        package var description: String?
        package var authAlgorithm: AuthAlgorithm?
        package var encryptionAlgorithm: EncryptionAlgorithm?
        package var phase1NegotiationMode: Phase1Mode?
        package var lifetime: Lifetime.Input?
        package var ikeVersion: Version?
        package var pfs: PFSGroup?
        package init() {}
    }

    package struct Update: Sendable, Equatable {
        package var name: String?
        package var description: String?
        package var authAlgorithm: AuthAlgorithm?
        package var encryptionAlgorithm: EncryptionAlgorithm?
        package var phase1NegotiationMode: Phase1Mode?
        package var lifetime: Lifetime.Input?
        package var ikeVersion: Version?
        package var pfs: PFSGroup?
        package init() {}
    }

    /// A new policy from create input, with Neutron's (vpn-no-sha1-3des) defaults.
    package static func make(id: ID, projectID: String, _ c: Create) -> IKEPolicy {
        IKEPolicy(
            id: id, projectID: projectID, name: c.name ?? "", description: c.description ?? "",
            authAlgorithm: c.authAlgorithm ?? .sha256, encryptionAlgorithm: c.encryptionAlgorithm ?? .aes128,
            phase1NegotiationMode: c.phase1NegotiationMode ?? .main, lifetime: Lifetime.default.merged(c.lifetime),
            ikeVersion: c.ikeVersion ?? .v1, pfs: c.pfs ?? .group5)
    }

    /// This policy with an update applied (a partial lifetime overwrites only the keys given).
    package func applying(_ u: Update) -> IKEPolicy {
        var p = self
        if let v = u.name { p.name = v }
        if let v = u.description { p.description = v }
        if let v = u.authAlgorithm { p.authAlgorithm = v }
        if let v = u.encryptionAlgorithm { p.encryptionAlgorithm = v }
        if let v = u.phase1NegotiationMode { p.phase1NegotiationMode = v }
        p.lifetime = lifetime.merged(u.lifetime)
        if let v = u.ikeVersion { p.ikeVersion = v }
        if let v = u.pfs { p.pfs = v }
        return p
    }
}
