/// The resource types the API serves, with their Neutron names.
package enum ResourceKind: String, Sendable, CaseIterable {
    case network, subnet, router, port
    case ikePolicy = "ikepolicy"
    case ipsecPolicy = "ipsecpolicy"
    case vpnService = "vpnservice"
    case endpointGroup = "endpoint_group"
    case ipsecSiteConnection = "ipsec_site_connection"
    case flavor
    case apiExtension = "extension"
    case peerConfigDevice = "peer_config_device"
    case agent

    /// Neutron's exception class name for a missing object of this kind.
    package var notFoundType: String {
        switch self {
        case .network: "NetworkNotFound"
        case .subnet: "SubnetNotFound"
        case .router: "RouterNotFound"
        case .port: "PortNotFound"
        case .ikePolicy: "IKEPolicyNotFound"
        case .ipsecPolicy: "IPsecPolicyNotFound"
        case .vpnService: "VPNServiceNotFound"
        case .endpointGroup: "VPNEndpointGroupNotFound"
        case .ipsecSiteConnection: "IPsecSiteConnectionNotFound"
        case .flavor: "FlavorNotFound"
        case .apiExtension: "HTTPNotFound"
        case .peerConfigDevice: "PeerConfigDeviceNotFound"
        case .agent: "AgentNotFound"
        }
    }

    /// Neutron's message for a missing object of this kind (punctuation as upstream).
    package func notFoundMessage(_ id: String) -> String {
        switch self {
        case .network: "Network \(id) could not be found."
        case .subnet: "Subnet \(id) could not be found."
        case .router: "Router \(id) could not be found"
        case .port: "Port \(id) could not be found."
        case .ikePolicy: "IKEPolicy \(id) could not be found"
        case .ipsecPolicy: "IPsecPolicy \(id) could not be found"
        case .vpnService: "VPNService \(id) could not be found"
        case .endpointGroup: "Endpoint group \(id) could not be found"
        case .ipsecSiteConnection: "ipsec_site_connection \(id) not found"
        case .flavor: "Flavor \(id) could not be found."
        case .apiExtension: "Extension with alias \(id) does not exist"
        case .peerConfigDevice: "Peer config device \(id) could not be found; GET /v2.0/vpn/peer-config-devices lists them."
        case .agent: "Agent \(id) could not be found."
        }
    }
}
