import VPNaaSDomain

/// What one host should look like: pure data derived from `DesiredState`, compared with what the
/// realisers last applied so only changed parts are touched.
package struct HostPlan: Sendable, Equatable {
    package var bridges: [BridgePlan] = []
    package var routers: [RouterPlan] = []
    package var probes: [ProbePlan] = []
    /// Routers whose VPN is not realised because the host is at `maxVPNRouters` (no charon; the
    /// namespace, routes and blackholes stay); their connections report ERROR with `capacityReason`.
    package var refused: [Router.ID] = []

    package init() {}

    /// Routers whose charon this plan runs.
    package var vpnRouterIDs: Set<Router.ID> {
        Set(routers.filter { !($0.vpn?.connections.isEmpty ?? true) }.map(\.routerID))
    }

    package static func capacityReason(_ limit: Int) -> String {
        "not realised: this agent already hosts its maximum of \(limit) routers with VPN connections (agent_max_routers)"
    }
}

/// One L2 segment: a Linux bridge in the namespace that holds its physical network.
package struct BridgePlan: Sendable, Equatable, Hashable {
    package var networkID: Network.ID
    package var name: String
    /// nil: the agent's own network namespace (an `interface:` mapping's bridge). An existing host
    /// bridge (`bridge:` mapping) is never planned: the agent does not create, address or delete it.
    package var namespace: String?
    /// Isolated provider networks carry their subnets' gateway addresses (the agent plays the upstream
    /// router). On host networks the gateway is the operator's router: never put on a bridge.
    package var addresses: [String]
    /// The NIC an `interface:` mapping enslaves to this bridge.
    package var uplink: String? = nil
    /// The physical network (nil for tenant networks).
    package var physicalNetwork: String? = nil
    /// A tenant VXLAN network joined to the other hosts' bridges of the same network.
    package var vxlan: VXLANPlan? = nil
}

/// A tenant network spanning hosts: a VXLAN device (VNI = the network's segmentation id) on its bridge, its
/// UDP socket on this host's underlay address, flooding to every other agent's underlay address.
package struct VXLANPlan: Sendable, Equatable, Hashable {
    package var name: String
    package var vni: Int
    package var local: String
    package var remotes: [String]

    package init(name: String, vni: Int, local: String, remotes: [String]) {
        self.name = name
        self.vni = vni
        self.local = local
        self.remotes = remotes
    }
}

/// One port realised as a veth pair: `name` inside the owner's namespace, `peer` on the bridge.
package struct PortPlan: Sendable, Equatable, Hashable {
    package var portID: Port.ID
    package var name: String
    package var peer: String
    package var bridge: String
    package var bridgeNamespace: String?
    package var mac: String
    package var addresses: [String]
    /// The physical network of a provider network's port: its mapping must be usable for the port to be.
    package var physicalNetwork: String? = nil
}

package struct RoutePlan: Sendable, Equatable, Hashable {
    package var destination: String
    package var via: String?
    package var blackhole: Bool

    package static func gateway(_ via: IPAddress) -> RoutePlan {
        RoutePlan(destination: via.version == 4 ? "0.0.0.0/0" : "::/0", via: via.description, blackhole: false)
    }

    package static func blackhole(_ cidr: CIDR) -> RoutePlan {
        RoutePlan(destination: cidr.description, via: nil, blackhole: true)
    }
}

package struct RouterPlan: Sendable, Equatable {
    package var routerID: Router.ID
    package var namespace: String
    package var gateway: PortPlan?
    package var interfaces: [PortPlan]
    package var routes: [RoutePlan]
    /// Body of the router's `inet vpnaas` nftables table (SNAT with the VPN exemption, MSS clamping), or nil for none.
    package var nftables: String?
    package var vpn: RouterVPNPlan?

    /// The network part of the plan, without VPN: compared to decide whether links must be touched.
    package var networkPart: RouterPlan {
        var copy = self
        copy.vpn = nil
        return copy
    }
}

/// The VPN services of one router: one charon, many connections.
package struct RouterVPNPlan: Sendable, Equatable {
    package var serviceIDs: [VPNService.ID]
    package var connections: [ConnectionPlan]
    /// Peer CIDRs whose connection MTU is below the tunnel device's: routed into the TUN with that
    /// MTU (libipsec), so every packet, not only TCP, is bound by it.
    package var tunnelRoutes: [TunnelRoutePlan] = []
}

/// `<peer CIDR> dev ipsec0 mtu <mtu>` in the router's table 221, looked up just before charon's
/// table 220. The kernel then answers DF packets above `mtu` with ICMP "fragmentation needed" /
/// ICMPv6 "packet too big" and fragments other IPv4 packets before they enter the tunnel. Without
/// an SA for the destination, libipsec drops what enters the TUN: fail-closed still holds, and
/// when charon is gone so is the device, the route, and the main table's blackhole applies.
package struct TunnelRoutePlan: Sendable, Equatable, Hashable {
    package var destination: CIDR
    package var mtu: Int

    package static let device = "ipsec0"
    package static let table = "221"
    package static let rulePriority = 219
}

/// One site connection as strongSwan will see it.
package struct ConnectionPlan: Sendable, Equatable {
    package var connection: IPsecSiteConnection
    package var serviceID: VPNService.ID
    /// Up only when the connection and its service are admin-up and nothing below is wrong.
    package var enabled: Bool
    package var localAddress: String?
    package var localID: String
    package var peerID: String
    package var ikeVersion: IKEPolicy.Version
    package var aggressive: Bool
    package var ikeProposal: String
    package var ikeLifetime: Int
    package var childProposal: String
    /// `esp` or `ah`; ah-esp is not offered by strongSwan's swanctl and is reported as an error.
    package var childProtocol: String
    package var childLifetime: Int
    package var mode: IPsecPolicy.EncapsulationMode
    package var localTS: [CIDR]
    package var remoteTS: [CIDR]
    /// Why the connection cannot be realised (shown as ERROR with this reason), if anything.
    package var problem: String?

    package var id: IPsecSiteConnection.ID { connection.id }
    package var psk: String { connection.psk }
    /// Path MTU towards the peer: the connection's, capped by the libipsec TUN (1400).
    package var effectiveMTU: Int { min(connection.mtu, ConnectionPlan.tunnelMTU) }
    package static let tunnelMTU = 1400
}

/// A `network:probe` port realised as its own namespace: a workload for tests and demos.
package struct ProbePlan: Sendable, Equatable {
    package var portID: Port.ID
    package var namespace: String
    package var port: PortPlan
    package var routes: [RoutePlan]
}
