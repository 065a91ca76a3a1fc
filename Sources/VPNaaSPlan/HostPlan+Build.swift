import VPNaaSDomain

extension HostPlan {
    /// Derives the whole host from one snapshot. Pure: the same state always gives the same plan.
    /// - Parameter hosting: routers whose charon already runs here; at the capacity limit they keep
    ///   their place, and the rest are taken oldest first, so a new router never evicts a live tunnel.
    package static func build(_ state: DesiredState, layout: AgentLayout, hosting: Set<Router.ID> = []) -> HostPlan {
        var plan = PlanBuilder(state: state, layout: layout).plan()
        if let limit = layout.maxVPNRouters { plan.enforceCapacity(limit, state: state, hosting: hosting) }
        return plan
    }

    /// Routers with VPN connections beyond `limit` keep their namespace, routing and fail-closed
    /// blackholes but get no charon: their VPN is not realised on this host.
    mutating func enforceCapacity(_ limit: Int, state: DesiredState, hosting: Set<Router.ID>) {
        let vpnRouters = vpnRouterIDs
        guard vpnRouters.count > limit else { return }
        let created = Dictionary(state.routers.map { ($0.id, $0.stamps.createdAt) }, uniquingKeysWith: { a, _ in a })
        let ranked = vpnRouters.sorted { a, b in
            if hosting.contains(a) != hosting.contains(b) { return hosting.contains(a) }
            if created[a] != created[b], let ca = created[a], let cb = created[b] { return ca < cb }
            return a < b
        }
        let dropped = Set(ranked.dropFirst(limit))
        for i in routers.indices where dropped.contains(routers[i].routerID) { routers[i].vpn = nil }
        refused = dropped.sorted()
    }
}

private struct PlanBuilder {
    let state: DesiredState
    let layout: AgentLayout
    let networks: [Network.ID: Network]
    let subnets: [Subnet.ID: Subnet]
    let ports: [Port.ID: Port]
    // Indexes, so a router's plan costs the same whatever else the host holds (a pass builds every router's).
    let interfacesByRouter: [Router.ID: [Port]]
    let servicesByRouter: [Router.ID: [VPNService]]
    let connectionsByService: [VPNService.ID: [IPsecSiteConnection]]
    let subnetsByNetwork: [Network.ID: [Subnet]]
    let endpointGroups: [EndpointGroup.ID: EndpointGroup]
    let ikePolicies: [IKEPolicy.ID: IKEPolicy]
    let ipsecPolicies: [IPsecPolicy.ID: IPsecPolicy]

    init(state: DesiredState, layout: AgentLayout) {
        self.state = state
        self.layout = layout
        networks = Dictionary(state.networks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        subnets = Dictionary(state.subnets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        ports = Dictionary(state.ports.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        interfacesByRouter = Dictionary(grouping: state.ports.filter { $0.deviceOwner == Port.Owner.routerInterface }, by: \.deviceID)
        servicesByRouter = Dictionary(grouping: state.vpnServices, by: \.routerID)
        connectionsByService = Dictionary(grouping: state.connections, by: \.vpnServiceID)
        subnetsByNetwork = Dictionary(grouping: state.subnets, by: \.networkID)
        endpointGroups = Dictionary(state.endpointGroups.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        ikePolicies = Dictionary(state.ikePolicies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        ipsecPolicies = Dictionary(state.ipsecPolicies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func plan() -> HostPlan {
        var plan = HostPlan()
        plan.routers = state.routers.filter(\.adminStateUp).sorted { $0.id < $1.id }.compactMap(router)
        plan.probes = state.ports.filter { $0.deviceOwner == Port.Owner.probe && $0.adminStateUp }
            .sorted { $0.id < $1.id }.compactMap(probe)
        var used: [Network.ID] = []
        for port in plan.routers.flatMap({ [$0.gateway].compactMap { $0 } + $0.interfaces }) + plan.probes.map(\.port) {
            if let networkID = ports[port.portID]?.networkID, !used.contains(networkID) { used.append(networkID) }
        }
        plan.bridges = used.sorted().compactMap { id in networks[id].flatMap(bridge) }
        return plan
    }

    // MARK: L2

    /// Where a network's bridge lives and who makes it.
    struct BridgeLocation {
        var name: String
        /// nil: the agent's own network namespace.
        var namespace: String?
        /// The agent creates (and removes) it; false for an operator's `bridge:` bridge.
        var managed: Bool
        var uplink: String?
        var physicalNetwork: String?
        /// The agent plays the upstream router (isolated provider networks only).
        var carriesGateways: Bool
    }

    /// Provider networks on their physical network's mapping, tenant networks in the shared L2 namespace.
    func bridgeLocation(_ network: Network) -> BridgeLocation {
        guard let physnet = network.segment.physicalNetwork else {
            return BridgeLocation(name: Names.bridge(network.id), namespace: layout.l2Namespace, managed: true, carriesGateways: false)
        }
        switch layout.mapping(of: physnet) {
        case .isolated:
            return BridgeLocation(
                name: Names.bridge(network.id), namespace: layout.providerNamespacePrefix + physnet, managed: true,
                physicalNetwork: physnet, carriesGateways: true)
        case .hostBridge(let name):
            return BridgeLocation(name: name, namespace: nil, managed: false, physicalNetwork: physnet, carriesGateways: false)
        case .hostInterface(let nic):
            return BridgeLocation(
                name: Names.bridge(network.id), namespace: nil, managed: true, uplink: nic, physicalNetwork: physnet,
                carriesGateways: false)
        }
    }

    func bridge(_ network: Network) -> BridgePlan? {
        let location = bridgeLocation(network)
        guard location.managed else { return nil }
        let addresses: [String] =
            network.external && location.carriesGateways
            ? (subnetsByNetwork[network.id] ?? []).sorted { $0.id < $1.id }
                .compactMap { s in s.gatewayIP.map { "\($0)/\(s.cidr.prefixLength)" } }
            : []
        var vxlan: VXLANPlan?
        if network.segment.networkType == .vxlan, let vni = network.segment.segmentationID, let local = layout.tunnelLocalIP,
            location.namespace != nil
        {
            vxlan = VXLANPlan(name: "vx-\(vni)", vni: vni, local: local, remotes: state.tunnelPeers.filter { $0 != local }.sorted())
        }
        return BridgePlan(
            networkID: network.id, name: location.name, namespace: location.namespace, addresses: addresses,
            uplink: location.uplink, physicalNetwork: location.physicalNetwork, vxlan: vxlan)
    }

    func portPlan(_ port: Port, name: String) -> PortPlan? {
        guard let network = networks[port.networkID] else { return nil }
        let location = bridgeLocation(network)
        return PortPlan(
            portID: port.id, name: name, peer: Names.bridgePort(port.id), bridge: location.name,
            bridgeNamespace: location.namespace, mac: port.macAddress,
            addresses: port.fixedIPs.compactMap { ip in
                subnets[ip.subnetID].map { "\(ip.ipAddress)/\($0.cidr.prefixLength)" }
            }, physicalNetwork: location.physicalNetwork)
    }

    /// Default routes via the gateways of the subnets the port has an address on.
    func gatewayRoutes(_ port: Port) -> [RoutePlan] {
        var seen = Set<Int>()
        var routes: [RoutePlan] = []
        for ip in port.fixedIPs {
            guard let gw = subnets[ip.subnetID]?.gatewayIP, gw != ip.ipAddress, seen.insert(gw.version).inserted else {
                continue
            }
            routes.append(.gateway(gw))
        }
        return routes
    }

    // MARK: routers

    func router(_ router: Router) -> RouterPlan? {
        let gatewayPort = router.gateway.flatMap { ports[$0.portID] }
        let interfacePorts = (interfacesByRouter[router.id] ?? []).sorted { $0.id < $1.id }
        guard gatewayPort != nil || !interfacePorts.isEmpty else { return nil }
        var plan = RouterPlan(
            routerID: router.id, namespace: Names.router(router.id),
            gateway: gatewayPort.flatMap { portPlan($0, name: Names.gatewayPort($0.id)) },
            interfaces: interfacePorts.compactMap { portPlan($0, name: Names.interfacePort($0.id)) },
            routes: gatewayPort.map(gatewayRoutes) ?? [], nftables: nil, vpn: nil)
        plan.routes += router.routes.map { RoutePlan(destination: $0.destination.description, via: $0.nexthop.description, blackhole: false) }

        let services = (servicesByRouter[router.id] ?? []).sorted { $0.id < $1.id }
        let connections = services.flatMap { connectionsByService[$0.id] ?? [] }.sorted { $0.id < $1.id }
        var plans = connections.compactMap { c in services.first { $0.id == c.vpnServiceID }.map { connection(c, service: $0, router: router) } }
        markSharedSecretConflicts(&plans)
        // Fail-closed: every peer CIDR is blackholed in the main table, whatever the tunnel's state.
        var blackholed = Set<String>()
        for c in plans {
            for cidr in c.remoteTS where blackholed.insert(cidr.description).inserted {
                plan.routes.append(.blackhole(cidr))
            }
        }
        if !services.isEmpty {
            plan.vpn = RouterVPNPlan(serviceIDs: services.map(\.id), connections: plans, tunnelRoutes: tunnelRoutes(plans))
        }
        plan.nftables = nftables(router: router, gatewayPort: gatewayPort, connections: plans)
        return plan
    }

    // MARK: VPN

    func connection(_ c: IPsecSiteConnection, service: VPNService, router: Router) -> ConnectionPlan {
        var problems: [String] = []
        let ike = ikePolicies[c.ikePolicyID]
        let ipsec = ipsecPolicies[c.ipsecPolicyID]
        if ike == nil { problems.append("IKE policy \(c.ikePolicyID) not found") }
        if ipsec == nil { problems.append("IPsec policy \(c.ipsecPolicyID) not found") }

        var local: [CIDR] = []
        if let subnetID = service.subnetID {
            if let s = subnets[subnetID] { local = [s.cidr] } else { problems.append("subnet \(subnetID) not found") }
        } else if let groupID = c.localEPGroupID, let group = endpointGroups[groupID] {
            local = group.endpoints.compactMap { subnets[$0]?.cidr }
        }
        var remote: [CIDR] = c.peerCIDRs
        if let groupID = c.peerEPGroupID, let group = endpointGroups[groupID] {
            remote = group.endpoints.compactMap { CIDR($0)?.normalized }
        }
        if local.isEmpty { problems.append("no local subnets") }
        if remote.isEmpty { problems.append("no peer CIDRs") }

        let peerIP = IPAddress(c.peerAddress)
        var localAddress: String?
        if let peerIP {
            if let ip = router.gateway?.firstIP(version: peerIP.version) {
                localAddress = ip.description
            } else {
                problems.append("router \(router.id) has no external IPv\(peerIP.version) address to reach peer \(c.peerAddress)")
            }
        }
        if let ike, ike.ikeVersion == .v1, StrongSwanProposals.isAEAD(ike.encryptionAlgorithm) {
            problems.append("IKEv1 cannot use the combined-mode cipher \(ike.encryptionAlgorithm.rawValue) for IKE")
        }
        if let ipsec {
            if ipsec.transformProtocol == .ahESP { problems.append("transform protocol ah-esp is not supported by strongSwan") }
            if layout.backend == .libipsec {
                if ipsec.transformProtocol == .ah { problems.append("AH needs kernel IPsec; this host only has userspace ESP") }
                if ipsec.encapsulationMode == .transport {
                    problems.append("transport mode needs kernel IPsec; this host only has userspace ESP (tunnel mode)")
                }
            }
        }
        let problem = problems.isEmpty ? nil : problems.joined(separator: "; ")
        return ConnectionPlan(
            connection: c, serviceID: service.id,
            enabled: c.adminStateUp && service.adminStateUp && problem == nil,
            localAddress: localAddress, localID: c.localID.isEmpty ? (localAddress ?? "%any") : c.localID,
            peerID: c.peerID, ikeVersion: ike?.ikeVersion ?? .v2, aggressive: ike?.phase1NegotiationMode == .aggressive,
            ikeProposal: ike.map(StrongSwanProposals.ike) ?? "", ikeLifetime: ike?.lifetime.value ?? 3600,
            childProposal: ipsec.map(StrongSwanProposals.child) ?? "",
            childProtocol: ipsec?.transformProtocol == .ah ? "ah" : "esp", childLifetime: ipsec?.lifetime.value ?? 3600,
            mode: ipsec?.encapsulationMode ?? .tunnel, localTS: local, remoteTS: remote, problem: problem)
    }

    /// The route MTU of every peer CIDR of an enabled connection with an MTU below the TUN's; the
    /// smallest wins where connections share a CIDR. Only libipsec has a device to route into: on
    /// kernel XFRM such a route would have to point at the gateway and leak in plaintext without a
    /// policy, so there TCP MSS clamping is all (and the kernel's own PMTU of the ESP path).
    func tunnelRoutes(_ plans: [ConnectionPlan]) -> [TunnelRoutePlan] {
        guard layout.backend == .libipsec else { return [] }
        var mtus: [CIDR: Int] = [:]
        var order: [CIDR] = []
        for c in plans where c.enabled && c.effectiveMTU < ConnectionPlan.tunnelMTU {
            for cidr in c.remoteTS {
                if mtus[cidr] == nil { order.append(cidr) }
                mtus[cidr] = min(mtus[cidr] ?? c.effectiveMTU, c.effectiveMTU)
            }
        }
        return order.map { TunnelRoutePlan(destination: $0, mtu: mtus[$0]!) }
    }

    /// strongSwan picks a PSK by the (local id, peer id) pair: two connections with the same pair
    /// but different secrets cannot both work, so the later ones are refused rather than guessed.
    func markSharedSecretConflicts(_ plans: inout [ConnectionPlan]) {
        var seen: [String: String] = [:]
        for i in plans.indices where plans[i].enabled {
            let key = "\(plans[i].localID)\u{0}\(plans[i].peerID)"
            if let psk = seen[key], psk != plans[i].psk {
                plans[i].problem = "another connection of this router uses local id \(plans[i].localID) and peer id \(plans[i].peerID) with a different PSK"
                plans[i].enabled = false
            } else {
                seen[key] = plans[i].psk
            }
        }
    }

    /// IPv4 SNAT to the gateway address, except towards VPN peers; TCP MSS clamped to each
    /// connection's path MTU into the tunnel.
    func nftables(router: Router, gatewayPort: Port?, connections: [ConnectionPlan]) -> String? {
        var postrouting: [String] = []
        if let gw = router.gateway, gw.enableSNAT, let v4 = gw.firstIP(version: 4), let port = gatewayPort {
            let local4 = connections.flatMap(\.localTS).filter { $0.version == 4 }.map(\.description)
            let remote4 = connections.flatMap(\.remoteTS).filter { $0.version == 4 }.map(\.description)
            if !local4.isEmpty, !remote4.isEmpty {
                postrouting.append("ip saddr { \(unique(local4).joined(separator: ", ")) } ip daddr { \(unique(remote4).joined(separator: ", ")) } accept")
            }
            postrouting.append("oifname \"\(Names.gatewayPort(port.id))\" ip saddr != \(v4) snat ip to \(v4)")
        }
        var forward: [String] = []
        for c in connections where c.effectiveMTU < ConnectionPlan.tunnelMTU || c.connection.mtu < ConnectionPlan.tunnelMTU {
            for cidr in c.remoteTS {
                let family = cidr.version == 4 ? "ip" : "ip6"
                let mss = c.effectiveMTU - (cidr.version == 4 ? 40 : 60)
                forward.append("\(family) daddr \(cidr) tcp flags syn tcp option maxseg size set \(mss)")
            }
        }
        if postrouting.isEmpty && forward.isEmpty { return nil }
        // The inside of `table inet vpnaas { … }` (NetworkHost replaces the table atomically).
        var lines: [String] = []
        lines.append("  chain postrouting {")
        lines.append("    type nat hook postrouting priority srcnat; policy accept;")
        lines += postrouting.map { "    " + $0 }
        lines.append("  }")
        lines.append("  chain forward {")
        lines.append("    type filter hook forward priority mangle; policy accept;")
        lines += forward.map { "    " + $0 }
        lines.append("  }")
        return lines.joined(separator: "\n")
    }

    func unique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }

    // MARK: probes

    func probe(_ port: Port) -> ProbePlan? {
        guard let plan = portPlan(port, name: Names.probePort(port.id)) else { return nil }
        return ProbePlan(portID: port.id, namespace: Names.probe(port.id), port: plan, routes: gatewayRoutes(port))
    }
}
