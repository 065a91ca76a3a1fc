import Testing
import VPNaaSDomain

@testable import VPNaaSAgent
@testable import VPNaaSPlan

@Suite("Host plan")
struct HostPlanTests {
    let plan = HostPlan.build(Fixture.twoSites(), layout: Fixture.layout)

    var left: RouterPlan { plan.routers.first { $0.routerID == "router-left" }! }

    @Test func routersGetNamespacesPortsAndAddresses() {
        #expect(plan.routers.map(\.namespace) == ["qrouter-router-left", "qrouter-router-right"])
        #expect(left.gateway?.name == "qg-gw-left")
        #expect(left.gateway?.addresses == ["2001:db8::2/64", "203.0.113.2/24"])
        #expect(left.gateway?.bridgeNamespace == "vpnaas-pn-public")
        #expect(left.interfaces.map(\.name) == ["qr-if4-left", "qr-if6-left"])
        // The IPv6 router interface carries the subnet's prefix address, like Neutron's gateway_ip.
        #expect(left.interfaces.flatMap(\.addresses).sorted() == ["10.1.0.1/24", "2001:db8:1:33bc::/64"])
        #expect(left.interfaces.allSatisfy { $0.bridgeNamespace == "vpnaas-l2" })
    }

    @Test func defaultRoutesViaProviderGatewaysAndBlackholesForPeers() {
        #expect(left.routes.contains(RoutePlan(destination: "::/0", via: "2001:db8::1", blackhole: false)))
        #expect(left.routes.contains(RoutePlan(destination: "0.0.0.0/0", via: "203.0.113.1", blackhole: false)))
        #expect(left.routes.contains(.blackhole(CIDR("2001:db8:1:33bd::/64")!)))
    }

    @Test func providerBridgeCarriesGatewayAddressesInItsOwnNamespace() {
        let provider = plan.bridges.first { $0.networkID == "ext" }
        #expect(provider?.namespace == "vpnaas-pn-public")
        #expect(provider?.addresses.sorted() == ["2001:db8::1/64", "203.0.113.1/24"])
        let tenant = plan.bridges.first { $0.networkID == "net-left" }
        #expect(tenant?.namespace == "vpnaas-l2")
        #expect(tenant?.addresses == [])
    }

    @Test func hostBridgeMappingIsUsedButNeverManaged() {
        var layout = AgentLayout()
        layout.physicalNetworks = ["public": .hostBridge("br-ex")]
        let plan = HostPlan.build(Fixture.twoSites(), layout: layout)
        #expect(plan.bridges.contains { $0.networkID == "ext" } == false)
        let gw = plan.routers[0].gateway
        #expect(gw?.bridge == "br-ex")
        #expect(gw?.bridgeNamespace == nil)
    }

    @Test func probesGetNamespacesAndDefaultRoutes() {
        let probe = plan.probes.first { $0.portID == "probe-left" }
        #expect(probe?.namespace == "qprobe-probe-left")
        #expect(probe?.port.name == "tapprobe-left")
        #expect(probe?.port.mac == "fa:16:3e:00:00:10")
        #expect(probe?.routes.count == 2)
        #expect(probe?.routes.contains(RoutePlan(destination: "::/0", via: "2001:db8:1:33bc::", blackhole: false)) == true)
    }

    @Test func snatExemptsVPNTrafficAndUsesTheGatewayAddress() throws {
        var state = Fixture.twoSites()
        state.endpointGroups = state.endpointGroups.map { g in
            var g = g
            if g.id == "local-left" { g.endpoints = ["left4"] }
            if g.id == "peer-left" { g.endpoints = ["10.2.0.0/24"] }
            return g
        }
        state.connections[0].peerAddress = "203.0.113.3"
        let router = HostPlan.build(state, layout: Fixture.layout).routers[0]
        let nft = try #require(router.nftables)
        #expect(nft.contains("ip saddr { 10.1.0.0/24 } ip daddr { 10.2.0.0/24 } accept"))
        #expect(nft.contains("oifname \"qg-gw-left\" ip saddr != 203.0.113.2 snat ip to 203.0.113.2"))
        #expect(!nft.contains("table"), "NetworkHost wraps the body in the table itself")
    }

    @Test func connectionPlanMapsPoliciesAndEndpoints() throws {
        let c = try #require(left.vpn?.connections.first)
        #expect(c.enabled)
        #expect(c.problem == nil)
        #expect(c.localAddress == "2001:db8::2")
        #expect(c.localID == "2001:db8::2")
        #expect(c.peerID == "2001:db8::3")
        #expect(c.ikeProposal == "aes256-sha256-modp2048")
        #expect(c.childProposal == "aes256-sha256-modp2048")
        #expect(c.localTS.map(\.description) == ["2001:db8:1:33bc::/64"])
        #expect(c.remoteTS.map(\.description) == ["2001:db8:1:33bd::/64"])
        #expect(c.effectiveMTU == 1400)
    }

    @Test func adminDownConnectionIsPlannedButDisabledAndStillBlackholed() throws {
        var state = Fixture.twoSites()
        state.connections[0].adminStateUp = false
        let router = HostPlan.build(state, layout: Fixture.layout).routers[0]
        let c = try #require(router.vpn?.connections.first)
        #expect(!c.enabled)
        #expect(c.problem == nil)
        #expect(router.routes.contains(.blackhole(CIDR("2001:db8:1:33bd::/64")!)))
    }

    @Test func unrealisableConnectionsCarryAReason() throws {
        var state = Fixture.twoSites()
        state.ipsecPolicies[0].transformProtocol = .ah
        var c = try #require(HostPlan.build(state, layout: Fixture.layout).routers[0].vpn?.connections.first)
        #expect(!c.enabled)
        #expect(c.problem?.contains("AH") == true)

        var xfrm = AgentLayout()
        xfrm.backend = .xfrm
        c = try #require(HostPlan.build(state, layout: xfrm).routers[0].vpn?.connections.first)
        #expect(c.enabled, "kernel IPsec can do AH")
        #expect(c.childProtocol == "ah")

        state = Fixture.twoSites()
        state.routers[0].gateway?.fixedIPs.removeAll { $0.ipAddress.version == 6 }
        c = try #require(HostPlan.build(state, layout: Fixture.layout).routers[0].vpn?.connections.first)
        #expect(c.problem?.contains("no external IPv6 address") == true)
    }

    @Test func fqdnPeerLeavesTheLocalAddressToCharon() throws {
        var state = Fixture.twoSites()
        state.connections[0].peerAddress = "peer.example.org"
        state.connections[0].peerID = "@peer.example.org"
        let c = try #require(HostPlan.build(state, layout: Fixture.layout).routers[0].vpn?.connections.first)
        #expect(c.localAddress == nil)
        #expect(c.localID == "%any")
        #expect(c.enabled)
    }

    @Test func twoConnectionsWithTheSameIDsMustShareOnePSK() throws {
        var state = Fixture.twoSites()
        var second = state.connections[0]
        second.id = "conn-left-2"
        second.psk = "another"
        state.connections.append(second)
        let plans = try #require(HostPlan.build(state, layout: Fixture.layout).routers[0].vpn?.connections)
        #expect(plans.filter(\.enabled).count == 1)
        #expect(plans.contains { $0.problem?.contains("different PSK") == true })
    }

    @Test func adminDownRouterIsNotRealised() {
        var state = Fixture.twoSites()
        state.routers[0].adminStateUp = false
        #expect(HostPlan.build(state, layout: Fixture.layout).routers.map(\.routerID) == ["router-right"])
    }

    @Test func namesFitLinuxLimits() {
        let long = "0123abcd-4567-89ef-0123-456789abcdef"
        for name in [Names.gatewayPort(long), Names.interfacePort(long), Names.probePort(long), Names.bridgePort(long), Names.bridge(long)] {
            #expect(name.count <= 15, "\(name)")
        }
    }

    @Test(arguments: [
        ("public=isolated", ["public": AgentLayout.PhysicalNetworkMapping.isolated]),
        ("public=bridge:br-ex, dc = isolated", ["public": .hostBridge("br-ex"), "dc": .isolated]),
        ("public=interface:eth1,dc=bridge:br-dc", ["public": .hostInterface("eth1"), "dc": .hostBridge("br-dc")]),
    ])
    func mappingsParse(text: String, expected: [String: AgentLayout.PhysicalNetworkMapping]) throws {
        #expect(try AgentLayout.parseMappings(text) == expected)
    }

    @Test(arguments: [
        "public", "public=eth0", "=isolated", "public=bridge:", "public=interface:", "public=bridge:br ex",
        "public=interface:0123456789abcdef", "public=bridge:br-ex,public=isolated", "a=bridge:br-ex,b=bridge:br-ex",
        "a=interface:eth1,b=interface:eth1",
    ])
    func badMappingsAreRefused(text: String) {
        #expect(throws: AgentLayout.LayoutError.self) { try AgentLayout.parseMappings(text) }
    }
}

/// Several hosts: VXLAN ports on tenant bridges, and what one host's desired state keeps.
@Suite("Host plan across hosts")
struct MultiHostPlanTests {
    @Test func vxlanTenantBridgesFloodToTheOtherHosts() {
        var state = Fixture.twoSites()
        state.tunnelPeers = ["192.168.200.3", "192.168.200.2", "192.168.200.9"]
        var layout = Fixture.layout
        layout.tunnelLocalIP = "192.168.200.2"
        let plan = HostPlan.build(state, layout: layout)
        let tenant = plan.bridges.first { $0.networkID == "net-left" }
        let vni = state.networks.first { $0.id == "net-left" }?.segment.segmentationID
        #expect(vni != nil)
        #expect(tenant?.vxlan == VXLANPlan(name: "vx-\(vni ?? 0)", vni: vni ?? 0, local: "192.168.200.2", remotes: ["192.168.200.3", "192.168.200.9"]))
        // Provider networks never get one; without an underlay address nothing spans hosts.
        #expect(plan.bridges.first { $0.networkID == "ext" }?.vxlan == nil)
        #expect(HostPlan.build(state, layout: Fixture.layout).bridges.allSatisfy { $0.vxlan == nil })
        // The VXLAN port is the agent's own link (collected when the network goes).
        #expect(plan.linkKeys.contains { $0.hasSuffix("vx-\(vni ?? 0)") })
    }

    @Test func aHostKeepsItsRoutersTheirSecretsAndItsProbes() {
        var state = Fixture.twoSites()
        state.ports = state.ports.map { p in
            var p = p
            if p.id == "probe-left" { p.bindingHostID = "net-2" }
            return p
        }
        let mine = state.restricted(to: ["router-left"], host: "net-1")
        #expect(mine.routers.map(\.id) == ["router-left"])
        #expect(Set(mine.vpnServices.map(\.routerID)) == ["router-left"])
        let services = Set(mine.vpnServices.map(\.id))
        #expect(!mine.connections.isEmpty && mine.connections.allSatisfy { services.contains($0.vpnServiceID) })
        #expect(mine.ports.contains { $0.id == "probe-left" } == false)
        #expect(mine.ports.contains { $0.id == "probe-right" })
        let theirs = state.restricted(to: [], host: "net-2")
        #expect(theirs.routers.isEmpty && theirs.connections.isEmpty)
        #expect(theirs.ports.contains { $0.id == "probe-left" })
    }
}
