import VPNaaSDomain
import VPNaaSStore

/// Core L3 lists run by the store (nil: the store cannot; list everything instead).
extension Networking {
    /// Networks: own project's, or shared, or external (`Network.isVisible`).
    package func networks(_ request: ListRequest, _ identity: Identity) async throws -> ListPage<Network>? {
        guard let lists = ListStoreLookup.lists(of: store) else { return nil }
        var request = request
        request.scope = identity.isAdmin ? .all : .projects([identity.projectID], orFlags: ["shared", "external"])
        let scoped = request
        return try await VPN.markerChecked { try await lists.networks(scoped) }
    }

    package func routers(_ request: ListRequest, _ identity: Identity) async throws -> ListPage<Router>? {
        guard let lists = ListStoreLookup.lists(of: store) else { return nil }
        return try await VPN.markerChecked { try await lists.routers(request.scoped(to: identity)) }
    }

    package func ports(_ request: ListRequest, _ identity: Identity) async throws -> ListPage<Port>? {
        guard let lists = ListStoreLookup.lists(of: store) else { return nil }
        return try await VPN.markerChecked { try await lists.ports(request.scoped(to: identity)) }
    }
}
