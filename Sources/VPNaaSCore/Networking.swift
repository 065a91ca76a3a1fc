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
package struct Networking: Sendable {
    package let store: any Store
    package let configuration: NetworkingConfiguration
    let now: @Sendable () -> Timestamp
    let newID: @Sendable () -> String
    let newMAC: @Sendable () -> String
    /// Vetoes from services built on routers (VPN).
    package var routerGuards: RouterGuards

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

    /// Runs a write use-case, turning store constraint violations that slipped past the explicit
    /// checks into Neutron conflicts rather than server errors.
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T {
        do {
            return try await store.write(body)
        } catch let error as StoreError where error.code != .other {
            throw VPNaaSError.neutron(status: 409, type: "Conflict", message: "The request conflicts with the current state of the resource: \(error.message)")
        }
    }

    /// Fails unless the caller may write at all (reader-only roles may not).
    func requireWriter(_ identity: Identity, _ action: String) throws {
        if !identity.canWrite { throw VPNaaSError.policyNotAuthorized(action: action) }
    }

    /// The project a new object belongs to: the caller's, or another one only for admins.
    func owner(_ requested: String?, _ identity: Identity, _ action: String) throws -> String {
        guard let requested, requested != identity.projectID else { return identity.projectID }
        guard identity.isAdmin else { throw VPNaaSError.policyNotAuthorized(action: action) }
        return requested
    }
}

extension StoreReader {
    /// The network if the caller can see it, else Neutron's 404.
    func visibleNetwork(_ id: Network.ID, _ identity: Identity) throws -> Network {
        guard let n = try network(id), n.isVisible(to: identity) else { throw VPNaaSError.notFound(.network, id: id) }
        return n
    }

    /// Subnets are visible to their network's owner, on shared networks, and to admins — not on
    /// someone else's external network.
    func visibleSubnet(_ id: Subnet.ID, _ identity: Identity) throws -> Subnet {
        guard let s = try subnet(id), try subnetVisible(s, identity) else { throw VPNaaSError.notFound(.subnet, id: id) }
        return s
    }

    func subnetVisible(_ s: Subnet, _ identity: Identity) throws -> Bool {
        if identity.owns(s.projectID) { return true }
        guard let n = try network(s.networkID) else { return false }
        return identity.owns(n.projectID) || n.shared
    }

    func visibleRouter(_ id: Router.ID, _ identity: Identity) throws -> Router {
        guard let r = try router(id), identity.owns(r.projectID) else { throw VPNaaSError.notFound(.router, id: id) }
        return r
    }

    func visiblePort(_ id: Port.ID, _ identity: Identity) throws -> Port {
        guard let p = try port(id), identity.owns(p.projectID) else { throw VPNaaSError.notFound(.port, id: id) }
        return p
    }
}
