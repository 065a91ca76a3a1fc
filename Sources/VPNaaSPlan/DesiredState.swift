import VPNaaSDomain

/// Everything an agent needs to realise its routers, read in one consistent snapshot.
package struct DesiredState: Sendable, Equatable {
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
