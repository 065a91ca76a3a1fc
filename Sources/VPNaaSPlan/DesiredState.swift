import VPNaaSDomain

/// Everything an agent needs to realise its routers, read in one consistent snapshot.
package struct DesiredState: Codable, Sendable, Equatable {
    package var networks: [Network] = []
    package var subnets: [Subnet] = []
    package var ports: [Port] = []
    package var routers: [Router] = []
    package var ikePolicies: [IKEPolicy] = []
    package var ipsecPolicies: [IPsecPolicy] = []
    package var vpnServices: [VPNService] = []
    package var endpointGroups: [EndpointGroup] = []
    package var connections: [IPsecSiteConnection] = []

    package init() {}
}

extension DesiredState {
    /// What one host realises: the routers scheduled to it, their VPN services and those services' connections
    /// (so only their PSKs); networks, subnets, ports and policies stay whole (they hold no secrets, and
    /// interfaces of the kept routers need their networks).
    package func restricted(to routerIDs: Set<Router.ID>) -> DesiredState {
        var s = self
        s.routers = routers.filter { routerIDs.contains($0.id) }
        s.vpnServices = vpnServices.filter { routerIDs.contains($0.routerID) }
        let services = Set(s.vpnServices.map(\.id))
        s.connections = connections.filter { services.contains($0.vpnServiceID) }
        return s
    }
}
