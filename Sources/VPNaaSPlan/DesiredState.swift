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
    /// The underlay addresses of the other live agents (`tunnel_local_ip`): where this host's VXLAN tenant
    /// networks flood to.
    package var tunnelPeers: [String] = []

    package init() {}
}

extension DesiredState {
    /// What one host realises: the routers scheduled to it, their VPN services and those services' connections
    /// (so only their PSKs), and the probes bound to it or to no host; networks, subnets, other ports and
    /// policies stay whole (they hold no secrets, and interfaces of the kept routers need their networks).
    package func restricted(to routerIDs: Set<Router.ID>, host: String? = nil) -> DesiredState {
        var s = self
        s.routers = routers.filter { routerIDs.contains($0.id) }
        // A probe bound to a host (`binding:host_id`) lives on that host only; unbound ones on every host.
        if let host {
            s.ports = ports.filter { $0.deviceOwner != Port.Owner.probe || $0.bindingHostID.isEmpty || $0.bindingHostID == host }
        }
        s.vpnServices = vpnServices.filter { routerIDs.contains($0.routerID) }
        let services = Set(s.vpnServices.map(\.id))
        s.connections = connections.filter { services.contains($0.vpnServiceID) }
        return s
    }
}
