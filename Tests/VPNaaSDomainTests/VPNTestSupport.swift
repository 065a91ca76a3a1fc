import VPNaaSDomain

/// The Neutron exception type a throwing rule ends in, or nil when it passes.
func errorType(_ body: () throws(VPNaaSError) -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return error.neutron.type
    }
}

func errorStatus(_ body: () throws(VPNaaSError) -> Void) -> Int? {
    do {
        try body()
        return nil
    } catch {
        return error.neutron.status
    }
}

enum Sample {
    static let routerID = "d1fe6c12-f818-411d-b0f5-cb471781618f"
    static let v6Subnet = "af92d713-d8d9-4f26-9b07-32a0f9199272"
    static let v4Subnet = "0a2f1f4e-1111-4e32-a1c2-9b5f4fa463c4"
    static let v4Subnet2 = "0a2f1f4e-2222-4e32-a1c2-9b5f4fa463c4"

    static func subnet(_ id: String, _ cidr: String) -> Subnet {
        Subnet(
            id: id, projectID: "p", networkID: "n", name: "", description: "", cidr: CIDR(cidr)!, gatewayIP: nil,
            enableDHCP: false, ipv6RAMode: nil, ipv6AddressMode: nil, allocationPools: [], dnsNameservers: [],
            hostRoutes: [], stamps: .new(at: Timestamp(secondsSinceEpoch: 0)))
    }

    static let subnets = [
        subnet(v6Subnet, "2001:db8:1:33bc::/64"), subnet(v4Subnet, "10.1.0.0/24"), subnet(v4Subnet2, "10.3.0.0/24"),
    ]

    static func group(_ id: String, _ type: EndpointGroup.Kind, _ endpoints: [String]) -> EndpointGroup {
        EndpointGroup(id: id, projectID: "p", type: type, endpoints: endpoints)
    }

    static let service = VPNService(id: "svc", projectID: "p", routerID: routerID)
    static let legacyService = VPNService(id: "svc-legacy", projectID: "p", routerID: routerID, subnetID: v4Subnet)

    static func connection(
        local: String? = "local", peer: String? = "peer", peerCIDRs: [String] = [], peerAddress: String = "2001:db8::4:703",
        mtu: Int = 1500, dpd: IPsecSiteConnection.DPD = .default, psk: String = "secret", service: String = "svc"
    ) -> IPsecSiteConnection {
        IPsecSiteConnection(
            id: "c", projectID: "p", peerAddress: peerAddress, peerID: peerAddress, psk: psk, mtu: mtu, dpd: dpd,
            vpnServiceID: service, ikePolicyID: "ike", ipsecPolicyID: "ipsec", peerCIDRs: peerCIDRs.compactMap { CIDR($0) },
            localEPGroupID: local, peerEPGroupID: peer)
    }

    /// Endpoint-group mode: v6 local subnet on the router, peer group with `peer` CIDRs.
    static func environment(
        local: EndpointGroup? = group("local", .subnet, [v6Subnet]), peer: EndpointGroup? = group("peer", .cidr, ["2001:db8:1:33bd::/64"]),
        legacy: Bool = false, transform: IPsecPolicy.TransformProtocol = .esp,
        gateway: [String] = ["192.0.2.38", "2001:db8:0:1::2f7"], attached: Set<String> = [v6Subnet, v4Subnet, v4Subnet2]
    ) -> ConnectionEnvironment {
        ConnectionEnvironment(
            service: legacy ? legacyService : service, gatewayIPs: gateway.compactMap { IPAddress($0) },
            routerSubnetIDs: attached, serviceSubnet: legacy ? subnets[1] : nil, localGroup: legacy ? nil : local,
            peerGroup: legacy ? nil : peer,
            localGroupSubnets: (local?.endpoints ?? []).compactMap { id in subnets.first { $0.id == id } },
            ipsecPolicy: IPsecPolicy(id: "ipsec", projectID: "p", transformProtocol: transform))
    }
}
