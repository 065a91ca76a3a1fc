import VPNaaSDomain
import VPNaaSStore

extension ListRequest {
    /// The request limited to what `identity` may list: everything for an admin, else its own project's rows
    /// (the `identity.owns` rule of the VPN collections).
    func scoped(to identity: Identity) -> ListRequest {
        var request = self
        request.scope = identity.isAdmin ? .all : .projects([identity.projectID])
        return request
    }
}

/// Lists run by the store: the use-case decides the scope, the store filters, orders and pages. Each answers nil
/// when the store cannot run list requests (the caller then lists everything and filters in Swift).
extension VPN {
    package func ikePolicies(_ request: ListRequest, _ identity: Identity) async throws -> ListPage<IKEPolicy>? {
        guard let lists = ListStoreLookup.lists(of: store) else { return nil }
        return try await Self.markerChecked { try await lists.ikePolicies(request.scoped(to: identity)) }
    }

    package func ipsecPolicies(_ request: ListRequest, _ identity: Identity) async throws -> ListPage<IPsecPolicy>? {
        guard let lists = ListStoreLookup.lists(of: store) else { return nil }
        return try await Self.markerChecked { try await lists.ipsecPolicies(request.scoped(to: identity)) }
    }

    package func vpnServices(_ request: ListRequest, _ identity: Identity) async throws -> ListPage<VPNService>? {
        guard let lists = ListStoreLookup.lists(of: store) else { return nil }
        return try await Self.markerChecked { try await lists.vpnServices(request.scoped(to: identity)) }
    }

    package func endpointGroups(_ request: ListRequest, _ identity: Identity) async throws -> ListPage<EndpointGroup>? {
        guard let lists = ListStoreLookup.lists(of: store) else { return nil }
        return try await Self.markerChecked { try await lists.endpointGroups(request.scoped(to: identity)) }
    }

    package func ipsecSiteConnections(_ request: ListRequest, _ identity: Identity) async throws
        -> ListPage<IPsecSiteConnection>?
    {
        guard let lists = ListStoreLookup.lists(of: store) else { return nil }
        return try await Self.markerChecked { try await lists.ipsecSiteConnections(request.scoped(to: identity)) }
    }

    /// A marker the caller cannot see is Neutron's 400, worded as the Swift paging words it.
    static func markerChecked<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ListMarkerNotFound {
            throw VPNaaSError.badRequest("Marker \(error.marker) could not be found")
        }
    }
}

/// Finds the list-capable store behind decorators (`NotifyingStore` only adds change signals to writes).
enum ListStoreLookup {
    static func lists(of store: any Store) -> (any ListStore)? {
        if let lists = store as? any ListStore { return lists }
        if let notifying = store as? NotifyingStore { return lists(of: notifying.base) }
        return nil
    }
}
