import VPNaaSDomain
import VPNaaSStore

/// Settings of the L2/L3 model that the operator chooses.
package struct NetworkingConfiguration: Sendable {
    /// Physical networks provider networks may use (`physical_network_mappings` keys).
    package var physicalNetworks: [String]
    /// Where an external network created without provider attributes lands.
    package var defaultPhysicalNetwork: String
    /// VNIs handed to tenant networks.
    package var vxlanRange: ClosedRange<Int>
    /// MTU of the physical networks; tenant (VXLAN) networks get 50 bytes less.
    package var physicalMTU: Int

    package init(
        physicalNetworks: [String] = ["public"], defaultPhysicalNetwork: String = "public",
        vxlanRange: ClosedRange<Int> = 1...16_777_215, physicalMTU: Int = 1500
    ) {
        self.physicalNetworks = physicalNetworks
        self.defaultPhysicalNetwork = defaultPhysicalNetwork
        self.vxlanRange = vxlanRange
        self.physicalMTU = physicalMTU
    }
}

/// The core L3 use-cases (networks, subnets, routers, ports): authorize → validate → persist in one
/// transaction. Knows nothing of HTTP.
package struct Networking: UseCases {
    package let store: any Store
    package let configuration: NetworkingConfiguration
    let now: @Sendable () -> Timestamp
    let newID: @Sendable () -> String
    let newMAC: @Sendable () -> String
    /// Vetoes from services built on routers (VPN).
    package var routerGuards: RouterGuards
    /// Limits for projects without quota rows of their own.
    package var quotaDefaults = QuotaLimits.defaults

    package init(
        store: any Store, configuration: NetworkingConfiguration = .init(),
        now: @escaping @Sendable () -> Timestamp, newID: @escaping @Sendable () -> String,
        newMAC: @escaping @Sendable () -> String, routerGuards: RouterGuards = RouterGuards()
    ) {
        self.routerGuards = routerGuards
        self.store = store
        self.configuration = configuration
        self.now = now
        self.newID = newID
        self.newMAC = newMAC
    }
}

extension StoreReader {
    /// The network if the caller can see it, else Neutron's 404.
    func visibleNetwork(_ id: Network.ID, _ identity: Identity) async throws -> Network {
        guard let n = try await network(id), n.isVisible(to: identity) else { throw VPNaaSError.notFound(.network, id: id) }
        return n
    }

    /// Subnets are visible to their network's owner, on shared networks, and to admins — not on
    /// someone else's external network.
    func visibleSubnet(_ id: Subnet.ID, _ identity: Identity) async throws -> Subnet {
        guard let s = try await subnet(id), try await subnetVisible(s, identity) else { throw VPNaaSError.notFound(.subnet, id: id) }
        return s
    }

    func subnetVisible(_ s: Subnet, _ identity: Identity) async throws -> Bool {
        if identity.owns(s.projectID) { return true }
        guard let n = try await network(s.networkID) else { return false }
        return identity.owns(n.projectID) || n.shared
    }

    func visibleRouter(_ id: Router.ID, _ identity: Identity) async throws -> Router {
        guard let r = try await router(id), identity.owns(r.projectID) else { throw VPNaaSError.notFound(.router, id: id) }
        return r
    }

    func visiblePort(_ id: Port.ID, _ identity: Identity) async throws -> Port {
        guard let p = try await port(id), identity.owns(p.projectID) else { throw VPNaaSError.notFound(.port, id: id) }
        return p
    }
}
