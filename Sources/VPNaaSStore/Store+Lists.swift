import VPNaaSDomain

/// A store that runs list requests itself (filters, order, keyset paging in SQL), so a list costs what its page
/// costs rather than what the table holds. Separate from `Store` so a backend can adopt it on its own; use-cases
/// fall back to filtering in Swift over `StoreReader` when the store is not one.
///
/// Each method throws `ListMarkerNotFound` when the request's marker is not among the rows it sees.
package protocol ListStore: Sendable {
    func ikePolicies(_ request: ListRequest) async throws -> ListPage<IKEPolicy>
    func ipsecPolicies(_ request: ListRequest) async throws -> ListPage<IPsecPolicy>
    func vpnServices(_ request: ListRequest) async throws -> ListPage<VPNService>
    func endpointGroups(_ request: ListRequest) async throws -> ListPage<EndpointGroup>
    func ipsecSiteConnections(_ request: ListRequest) async throws -> ListPage<IPsecSiteConnection>
    func networks(_ request: ListRequest) async throws -> ListPage<Network>
    func routers(_ request: ListRequest) async throws -> ListPage<Router>
    func ports(_ request: ListRequest) async throws -> ListPage<Port>
}
