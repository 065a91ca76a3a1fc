import VPNaaSDomain
import VPNaaSStore

extension VPN {
    package func ipsecSiteConnections(_ identity: Identity) async throws -> [IPsecSiteConnection] {
        try await store.read { tx in try tx.ipsecSiteConnections().filter { identity.owns($0.projectID) } }
    }

    package func ipsecSiteConnection(_ id: IPsecSiteConnection.ID, _ identity: Identity) async throws
        -> IPsecSiteConnection
    {
        try await store.read { tx in try tx.visibleConnection(id, identity) }
    }

    /// V19 (unknown service → 404 VPNServiceNotFound, our deviation from Neutron's 500), then the
    /// connection rules; created PENDING_CREATE.
    package func createIPsecSiteConnection(_ input: IPsecSiteConnection.Create, _ identity: Identity) async throws
        -> IPsecSiteConnection
    {
        try requireWriter(identity, "create_ipsec_site_connection")
        let project = try owner(input.projectID, identity, "create_ipsec_site_connection")
        let connection = IPsecSiteConnection.make(id: newID(), projectID: project, input)
        let quotaDefaults = quotaDefaults
        return try await write { tx in
            try tx.enforceQuota(.ipsecSiteConnection, project: project, defaults: quotaDefaults)
            let env = try VPN.environment(for: connection, identity, tx)
            try IPsecSiteConnection.validate(connection, in: env)
            try tx.insert(connection)
            return connection
        }
    }

    /// Refused while PENDING_*; omitted DPD keys, peer CIDRs and groups keep their stored values and the
    /// result is validated as a whole.
    package func updateIPsecSiteConnection(
        _ id: IPsecSiteConnection.ID, _ input: IPsecSiteConnection.Update, _ identity: Identity
    ) async throws -> IPsecSiteConnection {
        try requireWriter(identity, "update_ipsec_site_connection")
        return try await write { tx in
            let current = try tx.visibleConnection(id, identity)
            try VPNService.checkUpdatable(id, status: current.status)
            var updated = current.applying(input)
            let env = try VPN.environment(for: updated, identity, tx)
            try IPsecSiteConnection.validate(updated, in: env)
            if agentManaged, updated.differsInDataPlane(from: current) { updated.status = .pendingUpdate }
            try tx.update(updated)
            return updated
        }
    }

    package func deleteIPsecSiteConnection(_ id: IPsecSiteConnection.ID, _ identity: Identity) async throws {
        try requireWriter(identity, "delete_ipsec_site_connection")
        try await write { tx in
            _ = try tx.visibleConnection(id, identity)
            try tx.deleteIPsecSiteConnection(id)
        }
    }

    /// Resolves what the connection refers to (each must exist and be visible: 404 otherwise).
    static func environment(for c: IPsecSiteConnection, _ identity: Identity, _ tx: any StoreReader) throws
        -> ConnectionEnvironment
    {
        let service = try tx.visibleVPNService(c.vpnServiceID, identity)
        _ = try tx.visibleIKEPolicy(c.ikePolicyID, identity)
        let ipsec = try tx.visibleIPsecPolicy(c.ipsecPolicyID, identity)
        let local = try c.localEPGroupID.map { try tx.visibleEndpointGroup($0, identity) }
        let peer = try c.peerEPGroupID.map { try tx.visibleEndpointGroup($0, identity) }
        var localSubnets: [Subnet] = []
        if let local, local.type == .subnet {
            localSubnets = try local.endpoints.compactMap { try tx.subnet($0) }
        }
        let router = try tx.router(service.routerID)
        return ConnectionEnvironment(
            service: service, gatewayIPs: router?.gateway?.fixedIPs.map(\.ipAddress) ?? [],
            routerSubnetIDs: try tx.routerSubnetIDs(service.routerID),
            serviceSubnet: try service.subnetID.flatMap { try tx.subnet($0) }, localGroup: local, peerGroup: peer,
            localGroupSubnets: localSubnets, ipsecPolicy: ipsec)
    }
}
