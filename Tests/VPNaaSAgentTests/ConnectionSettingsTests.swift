import NetNS
import Testing
import VICI
import VPNaaSDomain

@testable import VPNaaSAgent
@testable import VPNaaSPlan

/// Issue #17: every connection setting as charon and the kernel get it — IKEv1 multi-subnet
/// CHILD_SAs, status per selector pair, DPD re-initiation per action, MTU routes into the TUN.
@Suite("Connection settings on the wire")
struct ConnectionSettingsTests {
    /// Left side with two local subnets (10.1.0.0/24, 10.1.1.0/24) and two peer CIDRs.
    static func multiSubnet(_ version: IKEPolicy.Version, mutate: (inout DesiredState) -> Void = { _ in }) -> DesiredState {
        var s = Fixture.twoSites()
        s.subnets.append(Fixture.subnet("left4b", network: "net-left", cidr: "10.1.1.0/24", gateway: "10.1.1.1"))
        s.endpointGroups[0].endpoints = ["left4", "left4b"]
        s.endpointGroups[1].endpoints = ["10.2.0.0/24", "10.2.1.0/24"]
        s.ikePolicies[0].ikeVersion = version
        mutate(&s)
        return s
    }

    static func plan(_ state: DesiredState, layout: AgentLayout = Fixture.layout) -> ConnectionPlan {
        HostPlan.build(state, layout: layout).routers[0].vpn!.connections[0]
    }

    static let pairs = [("10.1.0.0/24", "10.2.0.0/24"), ("10.1.0.0/24", "10.2.1.0/24"), ("10.1.1.0/24", "10.2.0.0/24"), ("10.1.1.0/24", "10.2.1.0/24")]

    // MARK: CHILD_SAs

    @Test func ikeV1GetsOneChildPerSelectorPair() throws {
        let p = Self.plan(Self.multiSubnet(.v1))
        #expect(p.children.map(\.name) == ["conn-left-1", "conn-left-2", "conn-left-3", "conn-left-4"])
        let children = try #require(p.loadConnMessage.section("conn-left")?.section("children"))
        #expect(children.keys == p.children.map(\.name))
        for (name, (l, r)) in zip(children.keys, Self.pairs) {
            #expect(children.section(name)?.strings("local_ts") == [l])
            #expect(children.section(name)?.strings("remote_ts") == [r])
            #expect(children.section(name)?.string("start_action") == "trap|start")
        }
    }

    @Test func ikeV2KeepsOneChildWithEveryPair() throws {
        let p = Self.plan(Self.multiSubnet(.v2))
        #expect(p.children.map(\.name) == ["conn-left"])
        let child = try #require(p.loadConnMessage.section("conn-left")?.section("children")?.section("conn-left"))
        #expect(child.strings("local_ts") == ["10.1.0.0/24", "10.1.1.0/24"])
        #expect(child.strings("remote_ts") == ["10.2.0.0/24", "10.2.1.0/24"])
        #expect(p.selectorPairs.count == 4)
    }

    @Test func singlePairIKEv1KeepsTheConnectionName() {
        var s = Fixture.twoSites()
        s.ikePolicies[0].ikeVersion = .v1
        #expect(Self.plan(s).children.map(\.name) == ["conn-left"], "unchanged name: running tunnels are not reloaded")
    }

    // MARK: status per selector pair

    static func sa(_ children: [(name: String, local: [String], remote: [String], state: String)], ike: String = "ESTABLISHED") -> [IKESASnapshot] {
        var section = VICIMessage()
        for (i, c) in children.enumerated() {
            section["\(c.name)-\(i + 10)"] = [
                "name": .string(c.name), "state": .string(c.state), "bytes-in": "100", "bytes-out": "200", "packets-in": "1",
                "packets-out": "2", "local-ts": .strings(c.local), "remote-ts": .strings(c.remote),
            ]
        }
        let message: VICIMessage = [
            "conn-left": ["uniqueid": "1", "state": .string(ike), "initiator-spi": "a", "responder-spi": "b", "child-sas": .section(section)]
        ]
        return IKESASnapshot.parse([message])
    }

    @Test func ikeV1IsActiveOnlyWithEveryPairAndSumsCounters() {
        let p = Self.plan(Self.multiSubnet(.v1))
        let all = Self.sa(zip(p.children, Self.pairs).map { ($0.name, [$1.0], [$1.1], "INSTALLED") })
        let r = ConnectionRuntime.from(all, plan: p)
        #expect(r.status == .active)
        #expect(r.lastError == nil)
        #expect(r.bytesIn == 400 && r.bytesOut == 800 && r.packetsOut == 8)

        // The reported bug: one Quick Mode only.
        let one = Self.sa([(p.children[0].name, ["10.1.0.0/24"], ["10.2.0.0/24"], "INSTALLED")])
        let partial = ConnectionRuntime.from(one, plan: p)
        #expect(partial.status == .down)
        #expect(partial.missingPairs.map(\.description) == ["10.1.0.0/24 === 10.2.1.0/24", "10.1.1.0/24 === 10.2.0.0/24", "10.1.1.0/24 === 10.2.1.0/24"])
        #expect(partial.lastError == "no CHILD_SA installed for 10.1.0.0/24 === 10.2.1.0/24, 10.1.1.0/24 === 10.2.0.0/24, 10.1.1.0/24 === 10.2.1.0/24")
        #expect(partial.bytesIn == 100, "counters still add up what is installed")
    }

    @Test func ikeV2NarrowedSelectorsAreNotActive() {
        let p = Self.plan(Self.multiSubnet(.v2))
        let full = Self.sa([("conn-left", ["10.1.0.0/24", "10.1.1.0/24"], ["10.2.0.0/24", "10.2.1.0/24"], "INSTALLED")])
        #expect(ConnectionRuntime.from(full, plan: p).status == .active)
        let narrowed = Self.sa([("conn-left", ["10.1.0.0/24"], ["10.2.0.0/24", "10.2.1.0/24"], "INSTALLED")])
        let r = ConnectionRuntime.from(narrowed, plan: p)
        #expect(r.status == .down)
        #expect(r.missingPairs.map(\.local.description) == ["10.1.1.0/24", "10.1.1.0/24"])
        // A wider selector carries the pair; a port-restricted one does not.
        let wider = Self.sa([("conn-left", ["10.1.0.0/23"], ["10.2.0.0/16"], "INSTALLED")])
        #expect(ConnectionRuntime.from(wider, plan: p).status == .active)
        let ports = Self.sa([("conn-left", ["10.1.0.0/23[tcp]"], ["10.2.0.0/16"], "INSTALLED")])
        #expect(ConnectionRuntime.from(ports, plan: p).status == .down)
    }

    @Test func childrenOfAnotherNameDoNotCount() {
        let p = Self.plan(Self.multiSubnet(.v1))
        let stale = Self.sa(Self.pairs.map { ("conn-left", [$0.0], [$0.1], "INSTALLED") })
        #expect(ConnectionRuntime.from(stale, plan: p).status == .down)
    }

    // MARK: who re-initiates

    @Test(arguments: [
        (IPsecSiteConnection.DPD.Action.hold, false, true), (.hold, true, true), (.restart, true, true), (.disabled, true, true),
        (.clear, false, true), (.clear, true, false), (.restartByPeer, true, false),
    ])
    func reinitiationFollowsTheDPDAction(action: IPsecSiteConnection.DPD.Action, wasUp: Bool, initiates: Bool) {
        var s = Fixture.twoSites()
        s.connections[0].dpd.action = action
        #expect(CharonFleet.shouldInitiate(Self.plan(s), everUp: wasUp) == initiates)
        s.connections[0].initiator = .responseOnly
        #expect(!CharonFleet.shouldInitiate(Self.plan(s), everUp: wasUp), "response-only never initiates")
    }

    /// Two IKEv1 ends negotiating at once end up in different ISAKMP SAs: the higher address waits.
    @Test func ofTwoIKEv1EndsOnlyTheLowerAddressStartsAtOnce() throws {
        var s = Self.multiSubnet(.v1)
        s.ikePolicies[1].ikeVersion = .v1
        s.connections[1].dpd.action = .restart
        let routers = HostPlan.build(s, layout: Fixture.layout).routers
        let left = routers[0].vpn!.connections[0], right = routers[1].vpn!.connections[0]
        #expect(!left.defersInitiation && right.defersInitiation)
        let rightChild = try #require(right.loadConnMessage.section("conn-right")?.section("children")?.section("conn-right"))
        #expect(rightChild.string("start_action") == "trap")
        #expect(rightChild.string("dpd_action") == "clear", "the agent re-initiates after the deferral, not charon at once")
        let leftChild = try #require(left.loadConnMessage.section("conn-left")?.section("children")?.section("conn-left-1"))
        #expect(leftChild.string("start_action") == "trap|start")
        #expect(!Self.plan(Fixture.twoSites()).defersInitiation, "IKEv2 sorts duplicates out by itself")
    }

    // MARK: DPD timing

    @Test func dpdIsTimedFromTheLastLookWithoutACheckAndWakesAtTheDeadline() {
        var s = Fixture.twoSites()
        s.connections[0].dpd = .init(action: .restart, interval: 2, timeout: 6)
        let p = Self.plan(s)
        let idle = IKESASnapshot.parse([StatusTests.sa(p.viciName, id: "4", state: "ESTABLISHED")])
        let busy = IKESASnapshot.parse([StatusTests.sa(p.viciName, id: "4", state: "ESTABLISHED", tasks: ["IKE_DPD"])])
        var timers = DPDTimers()
        let t0 = ContinuousClock.now
        #expect(timers.expired(router: "r", sas: idle, plans: [p], now: t0).isEmpty)
        #expect(timers.nextDeadline == nil)
        // Seen running one pass later: it may have started right after t0.
        #expect(timers.expired(router: "r", sas: busy, plans: [p], now: t0.advanced(by: .seconds(1))).isEmpty)
        #expect(timers.nextDeadline == t0.advanced(by: .seconds(6)))
        #expect(timers.expired(router: "r", sas: busy, plans: [p], now: t0.advanced(by: .milliseconds(5999))).isEmpty)
        #expect(timers.expired(router: "r", sas: busy, plans: [p], now: t0.advanced(by: .seconds(6))).map(\.0.uniqueID) == ["4"])
        #expect(timers.nextDeadline == nil)
    }

    @Test func disabledDPDNeverTimesOut() {
        var s = Fixture.twoSites()
        s.connections[0].dpd.action = .disabled
        let p = Self.plan(s)
        let busy = IKESASnapshot.parse([StatusTests.sa(p.viciName, id: "4", state: "ESTABLISHED", tasks: ["IKE_DPD"])])
        var timers = DPDTimers()
        let t0 = ContinuousClock.now
        _ = timers.expired(router: "r", sas: busy, plans: [p], now: t0)
        #expect(timers.expired(router: "r", sas: busy, plans: [p], now: t0.advanced(by: .seconds(1000))).isEmpty)
        #expect(p.loadConnMessage.section("conn-left")?.string("dpd_delay") == "0")
    }

    // MARK: MTU

    @Test func mtuBelowTheTunnelRoutesEveryPeerCIDRIntoTheTUNWithIt() {
        let state = Self.multiSubnet(.v2) { $0.connections[0].mtu = 1200 }
        let vpn = HostPlan.build(state, layout: Fixture.layout).routers[0].vpn!
        #expect(vpn.tunnelRoutes == [
            TunnelRoutePlan(destination: CIDR("10.2.0.0/24")!, mtu: 1200), TunnelRoutePlan(destination: CIDR("10.2.1.0/24")!, mtu: 1200),
        ])
        let words = NetworkHost.command(for: .replaceRoute(vpn.tunnelRoutes[0].netns), in: "qrouter-x").arguments
        #expect(words == ["-n", "qrouter-x", "-4", "route", "replace", "10.2.0.0/24", "dev", "ipsec0", "table", "221", "mtu", "1200"])
        let rule = NetworkHost.command(for: .addRule(CharonFleet.tunnelRule(.inet)), in: "qrouter-x").arguments
        #expect(rule == ["-n", "qrouter-x", "-4", "rule", "add", "priority", "219", "from", "all", "lookup", "221"])
        let nft = HostPlan.build(state, layout: Fixture.layout).routers[0].nftables ?? ""
        #expect(nft.contains("ip daddr 10.2.0.0/24 tcp flags syn tcp option maxseg size set 1160"), "MSS clamping stays")
    }

    @Test func noMTURouteAtOrAboveTheTunnelOrWhenDisabledOrOnXFRM() {
        #expect(HostPlan.build(Self.multiSubnet(.v2), layout: Fixture.layout).routers[0].vpn!.tunnelRoutes.isEmpty)
        let down = Self.multiSubnet(.v2) {
            $0.connections[0].mtu = 1200
            $0.connections[0].adminStateUp = false
        }
        #expect(HostPlan.build(down, layout: Fixture.layout).routers[0].vpn!.tunnelRoutes.isEmpty)
        var xfrm = Fixture.layout
        xfrm.backend = .xfrm
        let small = Self.multiSubnet(.v2) { $0.connections[0].mtu = 1200 }
        #expect(HostPlan.build(small, layout: xfrm).routers[0].vpn!.tunnelRoutes.isEmpty)
    }
}
