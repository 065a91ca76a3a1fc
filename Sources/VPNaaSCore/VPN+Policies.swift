import VPNaaSDomain
import VPNaaSStore

extension VPN {
    // MARK: - IKE policies

    package func ikePolicies(_ identity: Identity) async throws -> [IKEPolicy] {
        try await store.read { tx in try await tx.ikePolicies().filter { identity.owns($0.projectID) } }
    }

    package func ikePolicy(_ id: IKEPolicy.ID, _ identity: Identity) async throws -> IKEPolicy {
        try await store.readStatement { tx in try await tx.visibleIKEPolicy(id, identity) }
    }

    package func createIKEPolicy(_ input: IKEPolicy.Create, _ identity: Identity) async throws -> IKEPolicy {
        try requireWriter(identity, "create_ikepolicy")
        let policy = IKEPolicy.make(id: newID(), projectID: try owner(input.projectID, identity, "create_ikepolicy"), input)
        try legacyCrypto.check(auth: input.authAlgorithm, encryption: input.encryptionAlgorithm, kind: "ikepolicy", id: policy.id)
        // The quota check rides in the INSERT: one statement inside the transaction.
        let quota = QuotaGuard(.ikePolicy, projectID: policy.projectID, defaultLimit: quotaDefaults[.ikePolicy])
        guard try await write({ tx in try await tx.insert(policy, within: quota) }) else {
            throw VPNaaSError.overQuota([.ikePolicy])
        }
        return policy
    }

    /// V16: a policy used by a connection can't change at all, not even its name.
    package func updateIKEPolicy(_ id: IKEPolicy.ID, _ input: IKEPolicy.Update, _ identity: Identity) async throws
        -> IKEPolicy
    {
        try requireWriter(identity, "update_ikepolicy")
        let legacyCrypto = self.legacyCrypto
        return try await write { tx in
            let current = try await tx.visibleIKEPolicy(id, identity)
            try IKEPolicy.checkUnused(id, connections: try await tx.ipsecSiteConnections())
            try legacyCrypto.check(auth: input.authAlgorithm, encryption: input.encryptionAlgorithm, kind: "ikepolicy", id: id)
            let updated = current.applying(input)
            try await tx.update(updated)
            return updated
        }
    }

    package func deleteIKEPolicy(_ id: IKEPolicy.ID, _ identity: Identity) async throws {
        try requireWriter(identity, "delete_ikepolicy")
        try await write { tx in
            _ = try await tx.visibleIKEPolicy(id, identity)
            try IKEPolicy.checkUnused(id, connections: try await tx.ipsecSiteConnections())
            try await tx.deleteIKEPolicy(id)
        }
    }

    // MARK: - IPsec policies

    package func ipsecPolicies(_ identity: Identity) async throws -> [IPsecPolicy] {
        try await store.read { tx in try await tx.ipsecPolicies().filter { identity.owns($0.projectID) } }
    }

    package func ipsecPolicy(_ id: IPsecPolicy.ID, _ identity: Identity) async throws -> IPsecPolicy {
        try await store.readStatement { tx in try await tx.visibleIPsecPolicy(id, identity) }
    }

    package func createIPsecPolicy(_ input: IPsecPolicy.Create, _ identity: Identity) async throws -> IPsecPolicy {
        try requireWriter(identity, "create_ipsecpolicy")
        let policy = IPsecPolicy.make(
            id: newID(), projectID: try owner(input.projectID, identity, "create_ipsecpolicy"), input)
        try legacyCrypto.check(auth: input.authAlgorithm, encryption: input.encryptionAlgorithm, kind: "ipsecpolicy", id: policy.id)
        // The quota check rides in the INSERT: one statement inside the transaction.
        let quota = QuotaGuard(.ipsecPolicy, projectID: policy.projectID, defaultLimit: quotaDefaults[.ipsecPolicy])
        guard try await write({ tx in try await tx.insert(policy, within: quota) }) else {
            throw VPNaaSError.overQuota([.ipsecPolicy])
        }
        return policy
    }

    package func updateIPsecPolicy(_ id: IPsecPolicy.ID, _ input: IPsecPolicy.Update, _ identity: Identity) async throws
        -> IPsecPolicy
    {
        try requireWriter(identity, "update_ipsecpolicy")
        let legacyCrypto = self.legacyCrypto
        return try await write { tx in
            let current = try await tx.visibleIPsecPolicy(id, identity)
            try IPsecPolicy.checkUnused(id, connections: try await tx.ipsecSiteConnections())
            try legacyCrypto.check(auth: input.authAlgorithm, encryption: input.encryptionAlgorithm, kind: "ipsecpolicy", id: id)
            let updated = current.applying(input)
            try await tx.update(updated)
            return updated
        }
    }

    package func deleteIPsecPolicy(_ id: IPsecPolicy.ID, _ identity: Identity) async throws {
        try requireWriter(identity, "delete_ipsecpolicy")
        try await write { tx in
            _ = try await tx.visibleIPsecPolicy(id, identity)
            try IPsecPolicy.checkUnused(id, connections: try await tx.ipsecSiteConnections())
            try await tx.deleteIPsecPolicy(id)
        }
    }
}
