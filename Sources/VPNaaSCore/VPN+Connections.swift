import VPNaaSDomain
import VPNaaSStore

extension VPN {
    package func ipsecSiteConnections(_ identity: Identity) async throws -> [IPsecSiteConnection] {
        try await store.read { tx in try await tx.ipsecSiteConnections().filter { identity.owns($0.projectID) } }
    }

    package func ipsecSiteConnection(_ id: IPsecSiteConnection.ID, _ identity: Identity) async throws
        -> IPsecSiteConnection
    {
        try await store.read { tx in try await tx.visibleConnection(id, identity) }
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
            try await tx.enforceQuota(.ipsecSiteConnection, project: project, defaults: quotaDefaults)
            let env = try await VPN.environment(for: connection, identity, tx)
            try IPsecSiteConnection.validate(connection, in: env)
            try await tx.insert(connection)
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
            let current = try await tx.visibleConnection(id, identity)
            try VPNService.checkUpdatable(id, status: current.status)
            var updated = current.applying(input)
            let env = try await VPN.environment(for: updated, identity, tx)
            try IPsecSiteConnection.validate(updated, in: env)
            if agentManaged, updated.differsInDataPlane(from: current) { updated.status = .pendingUpdate }
            try await tx.update(updated)
            return updated
        }
    }

    package func deleteIPsecSiteConnection(_ id: IPsecSiteConnection.ID, _ identity: Identity) async throws {
        try requireWriter(identity, "delete_ipsec_site_connection")
        try await write { tx in
            _ = try await tx.visibleConnection(id, identity)
            try await tx.deleteIPsecSiteConnection(id)
        }
    }

    /// Resolves what the connection refers to (each must exist and be visible: 404 otherwise).
    static func environment(for c: IPsecSiteConnection, _ identity: Identity, _ tx: any StoreReader) async throws
        -> ConnectionEnvironment
    {
        let service = try await tx.visibleVPNService(c.vpnServiceID, identity)
        _ = try await tx.visibleIKEPolicy(c.ikePolicyID, identity)
        let ipsec = try await tx.visibleIPsecPolicy(c.ipsecPolicyID, identity)
        var local: EndpointGroup?
        if let id = c.localEPGroupID { local = try await tx.visibleEndpointGroup(id, identity) }
        var peer: EndpointGroup?
        if let id = c.peerEPGroupID { peer = try await tx.visibleEndpointGroup(id, identity) }
        var localSubnets: [Subnet] = []
        if let local, local.type == .subnet {
            for endpoint in local.endpoints {
                if let subnet = try await tx.subnet(endpoint) { localSubnets.append(subnet) }
            }
        }
        var serviceSubnet: Subnet?
        if let id = service.subnetID { serviceSubnet = try await tx.subnet(id) }
        let router = try await tx.router(service.routerID)
        return ConnectionEnvironment(
            service: service, gatewayIPs: router?.gateway?.fixedIPs.map(\.ipAddress) ?? [],
            routerSubnetIDs: try await tx.routerSubnetIDs(service.routerID),
            serviceSubnet: serviceSubnet, localGroup: local, peerGroup: peer,
            localGroupSubnets: localSubnets, ipsecPolicy: ipsec)
    }
}
