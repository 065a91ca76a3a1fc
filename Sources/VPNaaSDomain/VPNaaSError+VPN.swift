/// The VPNaaS exceptions, with neutron-vpnaas' class names and messages.
extension VPNaaSError {
    static func vpn(_ status: Int, _ type: String, _ message: String) -> VPNaaSError {
        .neutron(status: status, type: type, message: message)
    }

    private static func groups(_ which: [String]) -> (suffix: String, which: String) {
        (which.count > 1 ? "s" : "", which.joined(separator: " and "))
    }

    package static func routerIsNotExternal(_ router: String) -> VPNaaSError {
        vpn(400, "RouterIsNotExternal", "Router \(router) has no external network gateway set")
    }
    package static func subnetIsNotConnectedToRouter(_ subnet: String, router: String) -> VPNaaSError {
        vpn(400, "SubnetIsNotConnectedToRouter", "Subnet \(subnet) is not connected to Router \(router)")
    }
    package static func missingPeerCIDRs() -> VPNaaSError {
        vpn(400, "MissingPeerCidrs", "Missing peer CIDRs for IPsec site-to-site connection")
    }
    package static func invalidEndpointGroup(_ which: [String]) -> VPNaaSError {
        let g = groups(which)
        return vpn(400, "InvalidEndpointGroup", "Endpoint group\(g.suffix) \(g.which) cannot be specified, when VPN Service has subnet specified")
    }
    package static func peerCIDRsInvalid() -> VPNaaSError {
        vpn(400, "PeerCidrsInvalid", "Peer CIDRs cannot be specified, when using endpoint groups")
    }
    package static func missingRequiredEndpointGroup(_ which: [String]) -> VPNaaSError {
        let g = groups(which)
        return vpn(400, "MissingRequiredEndpointGroup", "Missing endpoint group\(g.suffix) \(g.which) for IPSec site-to-site connection")
    }
    package static func wrongEndpointGroupType(_ group: String, type: String, expected: String) -> VPNaaSError {
        vpn(400, "WrongEndpointGroupType", "Endpoint group \(group) type is '\(type)' and should be '\(expected)'")
    }
    package static func mixedIPVersionsForEndpoints(_ group: String) -> VPNaaSError {
        vpn(400, "MixedIPVersionsForIPSecEndpoints", "Endpoints in group \(group) do not have the same IP version, as required for IPSec site-to-site connection")
    }
    package static func mixedIPVersionsForPeerCIDRs() -> VPNaaSError {
        vpn(400, "MixedIPVersionsForPeerCidrs", "Peer CIDRs do not have the same IP version, as required for IPSec site-to-site connection")
    }
    package static func mixedIPVersionsForConnection() -> VPNaaSError {
        vpn(400, "MixedIPVersionsForIPSecConnection", "IP versions are not compatible between peer and local endpoints")
    }
    package static func peerCIDRsOverlapLocalSubnets(peer: String, local: String) -> VPNaaSError {
        vpn(400, "PeerCidrsOverlapLocalSubnets", "Peer CIDR \(peer) overlaps local subnet \(local)")
    }
    package static func dpdIntervalValueError() -> VPNaaSError {
        vpn(400, "IPsecSiteConnectionDpdIntervalValueError", "ipsec_site_connection dpd_timeout is equal to or less than dpd_interval")
    }
    package static func mtuError(_ mtu: Int, version: Int) -> VPNaaSError {
        vpn(400, "IPsecSiteConnectionMtuError", "ipsec_site_connection MTU \(mtu) is too small for ipv\(version)")
    }
    package static func peerAddressNotResolved(_ address: String) -> VPNaaSError {
        vpn(400, "VPNPeerAddressNotResolved", "Peer address \(address) cannot be resolved")
    }
    package static func externalNetworkHasNoSubnet(router: String, version: Int) -> VPNaaSError {
        vpn(400, "ExternalNetworkHasNoSubnet", "Router's \(router) external network has no IPv\(version) subnet")
    }
    package static func ipsecValidationFailure(key: String, value: String) -> VPNaaSError {
        vpn(400, "IpsecValidationFailure", "IPSec does not support IPsec Policy attribute \(key) with value '\(value)'")
    }
    package static func vpnStateInvalidToUpdate(_ id: String, state: VPNStatus) -> VPNaaSError {
        vpn(400, "VPNStateInvalidToUpdate", "Invalid state \(state.rawValue) of vpnaas resource \(id) for updating")
    }
    package static func ikePolicyInUse(_ id: String) -> VPNaaSError {
        vpn(409, "IKEPolicyInUse", "IKEPolicy \(id) is in use by existing IPsecSiteConnection and can't be updated or deleted")
    }
    package static func ipsecPolicyInUse(_ id: String) -> VPNaaSError {
        vpn(409, "IPsecPolicyInUse", "IPsecPolicy \(id) is in use by existing IPsecSiteConnection and can't be updated or deleted")
    }
    package static func vpnServiceInUse(_ id: String) -> VPNaaSError {
        vpn(409, "VPNServiceInUse", "VPNService \(id) is still in use")
    }
    package static func endpointGroupInUse(_ id: String) -> VPNaaSError {
        vpn(400, "EndpointGroupInUse", "Endpoint group \(id) is in use and cannot be deleted")
    }
    package static func missingEndpoints(_ group: String) -> VPNaaSError {
        vpn(400, "MissingEndpointForEndpointGroup", "No endpoints specified for endpoint group '\(group)'")
    }
    package static func invalidEndpoint(_ endpoint: String, type: EndpointGroup.Kind, why: String) -> VPNaaSError {
        vpn(400, "InvalidEndpointInEndpointGroup", "Endpoint '\(endpoint)' is invalid for group type '\(type.rawValue)': \(why)")
    }
    package static func nonExistingSubnetInEndpointGroup(_ subnet: String) -> VPNaaSError {
        vpn(400, "NonExistingSubnetInEndpointGroup", "Subnet \(subnet) in endpoint group does not exist")
    }
    package static func subnetInUseByConnection(_ subnet: String, connection: String) -> VPNaaSError {
        vpn(409, "SubnetInUseByIPsecSiteConnection", "Subnet \(subnet) is used by ipsec site connection \(connection)")
    }
    package static func subnetInUseByVPNService(_ subnet: String, service: String) -> VPNaaSError {
        vpn(409, "SubnetInUseByVPNService", "Subnet \(subnet) is used by VPNService \(service)")
    }
}
