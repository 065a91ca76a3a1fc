import VPNaaSDomain

@testable import VPNaaSAgent
@testable import VPNaaSPlan

/// A two-site desired state like the seed: one provider network, a left and a right router,
/// each with an IPv6 and an IPv4 private subnet, a probe, and one connection to the other side.
enum Fixture {
    static let stamps = Stamps(createdAt: Timestamp(secondsSinceEpoch: 0), updatedAt: Timestamp(secondsSinceEpoch: 0), revision: 0)

    static func network(_ id: String, external: Bool = false, physnet: String? = nil) -> Network {
        Network(
            id: id, projectID: external ? "admin" : "p-\(id)", name: id, description: "", adminStateUp: true, shared: false,
            external: external,
            segment: .init(networkType: physnet == nil ? .vxlan : .flat, physicalNetwork: physnet, segmentationID: physnet == nil ? id.utf8.count * 10 + Int(id.utf8.last ?? 0) : nil),
            mtu: 1500, portSecurityEnabled: true, vlanTransparent: false, qinq: false, isDefault: false, availabilityZoneHints: [],
            status: "ACTIVE", stamps: stamps)
    }

    static func subnet(_ id: String, network: String, cidr: String, gateway: String?) -> Subnet {
        Subnet(
            id: id, projectID: "p", networkID: network, name: id, description: "", cidr: CIDR(cidr)!,
            gatewayIP: gateway.flatMap { IPAddress($0) }, enableDHCP: true, ipv6RAMode: nil, ipv6AddressMode: nil,
            allocationPools: [], dnsNameservers: [], hostRoutes: [], stamps: stamps)
    }

    static func port(_ id: String, network: String, owner: String, device: String, ips: [(String, String)], mac: String? = nil)
        -> Port
    {
        let h = id.utf8.reduce(UInt32(7)) { $0 &* 31 &+ UInt32($1) }
        let mac = mac ?? "fa:16:3e:\(hex(h >> 16)):\(hex(h >> 8)):\(hex(h))"
        return Port(
            id: id, projectID: "p", networkID: network, name: "", description: "", macAddress: mac, adminStateUp: true,
            status: "DOWN", deviceID: device, deviceOwner: owner,
            fixedIPs: ips.map { FixedIP(subnetID: $0.0, ipAddress: IPAddress($0.1)!) }, portSecurityEnabled: true,
            bindingHostID: "", stamps: stamps)
    }

    /// Router ids `router-left` / `router-right`; gateway IPs 2001:db8::2/::3 and 203.0.113.2/.3.
    static func twoSites(psk: String = "secret-psk", initiator: IPsecSiteConnection.Initiator = .biDirectional) -> DesiredState {
        var s = DesiredState()
        s.networks = [network("ext", external: true, physnet: "public"), network("net-left"), network("net-right")]
        s.subnets = [
            subnet("ext6", network: "ext", cidr: "2001:db8::/64", gateway: "2001:db8::1"),
            subnet("ext4", network: "ext", cidr: "203.0.113.0/24", gateway: "203.0.113.1"),
        ]
        for (i, side) in ["left", "right"].enumerated() {
            let v6 = i == 0 ? "2001:db8:1:33bc::" : "2001:db8:1:33bd::"
            let v4 = i == 0 ? "10.1.0." : "10.2.0."
            s.subnets += [
                subnet("\(side)6", network: "net-\(side)", cidr: "\(v6)/64", gateway: v6),
                subnet("\(side)4", network: "net-\(side)", cidr: "\(v4)0/24", gateway: "\(v4)1"),
            ]
            let router = "router-\(side)"
            s.ports += [
                port("gw-\(side)", network: "ext", owner: Port.Owner.routerGateway, device: router,
                     ips: [("ext6", "2001:db8::\(i + 2)"), ("ext4", "203.0.113.\(i + 2)")]),
                port("if6-\(side)", network: "net-\(side)", owner: Port.Owner.routerInterface, device: router, ips: [("\(side)6", v6)]),
                port("if4-\(side)", network: "net-\(side)", owner: Port.Owner.routerInterface, device: router, ips: [("\(side)4", "\(v4)1")]),
                port("probe-\(side)", network: "net-\(side)", owner: Port.Owner.probe, device: "probe",
                     ips: [("\(side)6", "\(v6)10"), ("\(side)4", "\(v4)10")], mac: "fa:16:3e:00:00:1\(i)"),
            ]
            s.routers.append(
                Router(
                    id: router, projectID: "p", name: router, description: "", adminStateUp: true, status: "ACTIVE",
                    gateway: .init(networkID: "ext", portID: "gw-\(side)", enableSNAT: true,
                                   fixedIPs: [FixedIP(subnetID: "ext6", ipAddress: IPAddress("2001:db8::\(i + 2)")!),
                                              FixedIP(subnetID: "ext4", ipAddress: IPAddress("203.0.113.\(i + 2)")!)]),
                    routes: [], stamps: stamps))
            s.ikePolicies.append(IKEPolicy(id: "ike-\(side)", projectID: "p", encryptionAlgorithm: .aes256, ikeVersion: .v2, pfs: .group14))
            s.ipsecPolicies.append(IPsecPolicy(id: "ipsec-\(side)", projectID: "p", encryptionAlgorithm: .aes256, pfs: .group14))
            s.vpnServices.append(VPNService(id: "svc-\(side)", projectID: "p", routerID: router))
            s.endpointGroups += [
                EndpointGroup(id: "local-\(side)", projectID: "p", type: .subnet, endpoints: ["\(side)6"]),
                EndpointGroup(id: "peer-\(side)", projectID: "p", type: .cidr, endpoints: [i == 0 ? "2001:db8:1:33bd::/64" : "2001:db8:1:33bc::/64"]),
            ]
            let peer = "2001:db8::\(3 - i)"
            s.connections.append(
                IPsecSiteConnection(
                    id: "conn-\(side)", projectID: "p", peerAddress: peer, peerID: peer, psk: psk, initiator: initiator,
                    vpnServiceID: "svc-\(side)", ikePolicyID: "ike-\(side)", ipsecPolicyID: "ipsec-\(side)",
                    localEPGroupID: "local-\(side)", peerEPGroupID: "peer-\(side)"))
        }
        return s
    }

    static func hex(_ v: UInt32) -> String {
        let b = Int(v & 0xff)
        return String("0123456789abcdef"[String.Index(utf16Offset: b >> 4, in: "0123456789abcdef")]) + String("0123456789abcdef"[String.Index(utf16Offset: b & 15, in: "0123456789abcdef")])
    }

    static var layout: AgentLayout { AgentLayout() }
}
