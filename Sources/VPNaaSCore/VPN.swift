import VPNaaSDomain
import VPNaaSStore

/// The VPNaaS use-cases (IKE/IPsec policies, VPN services, endpoint groups, site connections):
/// authorize → validate → persist in one transaction. Knows nothing of HTTP.
package struct VPN: UseCases {
    package let store: any Store
    let newID: @Sendable () -> String
    /// With an agent realising changes, a data-plane update shows PENDING_UPDATE until applied.
    let agentManaged: Bool
    /// Whether sha1/3des are accepted (`allow_legacy_crypto`).
    let legacyCrypto: LegacyCrypto
    /// Limits for projects without quota rows of their own.
    package var quotaDefaults = QuotaLimits.defaults

    package init(
        store: any Store, newID: @escaping @Sendable () -> String, agentManaged: Bool = false,
        legacyCrypto: LegacyCrypto = LegacyCrypto()
    ) {
        self.store = store
        self.newID = newID
        self.agentManaged = agentManaged
        self.legacyCrypto = legacyCrypto
    }
}

extension StoreReader {
    /// Another project's VPN object answers 404, as if it did not exist.
    func visibleIKEPolicy(_ id: IKEPolicy.ID, _ identity: Identity) async throws -> IKEPolicy {
        guard let p = try await ikePolicy(id), identity.owns(p.projectID) else { throw VPNaaSError.notFound(.ikePolicy, id: id) }
        return p
    }

    func visibleIPsecPolicy(_ id: IPsecPolicy.ID, _ identity: Identity) async throws -> IPsecPolicy {
        guard let p = try await ipsecPolicy(id), identity.owns(p.projectID) else {
            throw VPNaaSError.notFound(.ipsecPolicy, id: id)
        }
        return p
    }

    func visibleVPNService(_ id: VPNService.ID, _ identity: Identity) async throws -> VPNService {
        guard let s = try await vpnService(id), identity.owns(s.projectID) else { throw VPNaaSError.notFound(.vpnService, id: id) }
        return s
    }

    func visibleEndpointGroup(_ id: EndpointGroup.ID, _ identity: Identity) async throws -> EndpointGroup {
        guard let g = try await endpointGroup(id), identity.owns(g.projectID) else {
            throw VPNaaSError.notFound(.endpointGroup, id: id)
        }
        return g
    }

    func visibleConnection(_ id: IPsecSiteConnection.ID, _ identity: Identity) async throws -> IPsecSiteConnection {
        guard let c = try await ipsecSiteConnection(id), identity.owns(c.projectID) else {
            throw VPNaaSError.notFound(.ipsecSiteConnection, id: id)
        }
        return c
    }

    /// Subnets attached to a router through its interface ports.
    func routerSubnetIDs(_ routerID: Router.ID) async throws -> Set<Subnet.ID> {
        await Set(
            try ports(networkID: nil, deviceID: routerID)
                .filter { $0.deviceOwner == Port.Owner.routerInterface }
                .flatMap { $0.fixedIPs.map(\.subnetID) })
    }
}
