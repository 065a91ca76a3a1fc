import Prometheus
import Testing
import VICI
import VPNaaSCore
import VPNaaSDomain
import VPNaaSStore

@testable import VPNaaSAgent
@testable import VPNaaSPlan

@Suite("Status from list-sas")
struct StatusTests {
    static func sa(
        _ conn: String, id: String, state: String, spi: String = "aa", child: String? = "INSTALLED", tasks: [String] = [],
        local: [String] = ["2001:db8:1:33bc::/64"], remote: [String] = ["2001:db8:1:33bd::/64"]
    ) -> VICIMessage {
        var sa: VICIMessage = ["uniqueid": .string(id), "state": .string(state), "initiator-spi": .string(spi),
                               "responder-spi": "bb", "established": "12"]
        if !tasks.isEmpty { sa["tasks-active"] = .strings(tasks) }
        if let child {
            sa["child-sas"] = [
                "\(conn)-\(id)": ["name": .string(conn), "state": .string(child), "bytes-in": "208", "bytes-out": "312",
                                  "packets-in": "2", "packets-out": "3", "use-in": "5",
                                  "local-ts": .strings(local), "remote-ts": .strings(remote)]
            ]
        }
        return [conn: .section(sa)]
    }

    var plan: ConnectionPlan { HostPlan.build(Fixture.twoSites(), layout: Fixture.layout).routers[0].vpn!.connections[0] }

    @Test func establishedWithInstalledChildIsActiveWithCounters() {
        let sas = IKESASnapshot.parse([Self.sa("conn-left", id: "1", state: "ESTABLISHED")])
        let r = ConnectionRuntime.from(sas, plan: plan)
        #expect(r.status == .active)
        #expect(r.bytesIn == 208)
        #expect(r.packetsOut == 3)
        #expect(r.establishedSeconds == 12)
        #expect(r.ikeState == "ESTABLISHED")
        #expect(r.effectiveMTU == 1400)
    }

    @Test(arguments: [("CONNECTING", "INSTALLED"), ("ESTABLISHED", "ROUTED"), ("ESTABLISHED", "REKEYED")])
    func anythingElseIsDown(ike: String, child: String) {
        let sas = IKESASnapshot.parse([Self.sa("conn-left", id: "1", state: ike, child: child)])
        #expect(ConnectionRuntime.from(sas, plan: plan).status == .down)
    }

    @Test func otherConnectionsDoNotCount() {
        let sas = IKESASnapshot.parse([Self.sa("conn-other", id: "1", state: "ESTABLISHED")])
        #expect(ConnectionRuntime.from(sas, plan: plan).status == .down)
    }

    @Test func disabledIsDownAndBrokenIsErrorWithReason() {
        var p = plan
        p.enabled = false
        #expect(ConnectionRuntime.from([], plan: p).status == .down)
        p.problem = "AH needs kernel IPsec"
        let r = ConnectionRuntime.from([], plan: p)
        #expect(r.status == .error)
        #expect(r.lastError == "AH needs kernel IPsec")
    }

    @Test func duplicatesKeepTheSamePairOnBothEnds() {
        let sas = IKESASnapshot.parse([
            Self.sa("c", id: "1", state: "ESTABLISHED", spi: "ff"), Self.sa("c", id: "2", state: "ESTABLISHED", spi: "11"),
            Self.sa("c", id: "3", state: "CONNECTING", spi: "22", child: nil),
        ])
        #expect(IKESASnapshot.redundant(sas).map(\.uniqueID).sorted() == ["1", "3"])
        #expect(IKESASnapshot.redundant([sas[2]]).isEmpty, "a lone half-open SA is the one trying to connect")
    }

    @Test func dpdTaskIsVisible() {
        let sas = IKESASnapshot.parse([Self.sa("c", id: "1", state: "ESTABLISHED", tasks: ["IKE_DPD"])])
        #expect(sas[0].dpdRunning)
    }

    /// Regression: the timers used to be shared by every router, and each router's pass dropped the
    /// others' (and charon unique ids repeat across daemons), so with two routers DPD never fired.
    @Test func dpdTimeoutFiresForEveryRouterOfTheAgent() {
        let routers = HostPlan.build(Fixture.twoSites(), layout: Fixture.layout).routers
        let left = routers[0].vpn!.connections[0]
        let right = routers[1].vpn!.connections[0]
        let sasL = IKESASnapshot.parse([Self.sa(left.viciName, id: "1", state: "ESTABLISHED", tasks: ["IKE_DPD"])])
        let sasR = IKESASnapshot.parse([Self.sa(right.viciName, id: "1", state: "ESTABLISHED", tasks: ["IKE_DPD"])])
        var timers = DPDTimers()
        let t0 = ContinuousClock.now
        var t = t0
        while t0.duration(to: t) < .seconds(left.connection.dpd.timeout) {
            #expect(timers.expired(router: "L", sas: sasL, plans: [left], now: t).isEmpty)
            #expect(timers.expired(router: "R", sas: sasR, plans: [right], now: t).isEmpty)
            t = t.advanced(by: .seconds(1))
        }
        #expect(timers.expired(router: "L", sas: sasL, plans: [left], now: t).map(\.1.id) == [left.id])
        #expect(timers.expired(router: "R", sas: sasR, plans: [right], now: t).map(\.1.id) == [right.id])
    }

    @Test func dpdTimerRestartsWhenTheCheckSucceeds() {
        let p = plan
        let busy = IKESASnapshot.parse([Self.sa(p.viciName, id: "7", state: "ESTABLISHED", tasks: ["IKE_DPD"])])
        let idle = IKESASnapshot.parse([Self.sa(p.viciName, id: "7", state: "ESTABLISHED")])
        var timers = DPDTimers()
        let t0 = ContinuousClock.now
        let late = t0.advanced(by: .seconds(p.connection.dpd.timeout + 1))
        #expect(timers.expired(router: "r", sas: busy, plans: [p], now: t0).isEmpty)
        #expect(timers.expired(router: "r", sas: idle, plans: [p], now: late).isEmpty)
        #expect(timers.expired(router: "r", sas: busy, plans: [p], now: late).isEmpty, "a new check starts a new timer")
    }

    @Test func serviceIsActiveWhenOneOfItsConnectionsIs() {
        let state = Fixture.twoSites()
        let (report, entries) = Agent.statuses(
            state, runtimes: ["conn-left": ConnectionRuntime(status: .active), "conn-right": ConnectionRuntime(status: .down)])
        #expect(report.services["svc-left"] == .active)
        #expect(report.services["svc-right"] == .down)
        #expect(report.connections["conn-left"]?.status == .active)
        #expect(entries["conn-right"]?.runtime.status == .down)
    }

    @Test func unplacedConnectionsAreDownWithAReason() {
        let (report, entries) = Agent.statuses(Fixture.twoSites(), runtimes: [:])
        #expect(report.connections.values.allSatisfy { $0.status == .down })
        #expect(entries["conn-left"]?.runtime.lastError != nil)
    }

    @Test func boardPublishesAndForgets() {
        let board = RuntimeBoard()
        var runtime = ConnectionRuntime(status: .active)
        runtime.bytesIn = 42
        board.publish(["c1": .init(runtime: runtime, projectID: "p", observedAt: 0)])
        #expect(board.entry("c1")?.runtime.bytesIn == 42)
        var text = String(decoding: board.registry.emitToBuffer(), as: UTF8.self)
        #expect(text.contains("vpnaas_connection_bytes_in{connection_id=\"c1\",project_id=\"p\"} 42"))
        board.publish([:])
        #expect(board.entry("c1") == nil)
        text = String(decoding: board.registry.emitToBuffer(), as: UTF8.self)
        #expect(!text.contains("c1"))
    }

    /// Wall clock and charon's age are both whole seconds, so observed − age wobbles by one between
    /// looks at the same SA; the board keeps one time per SA and moves on for a new SA.
    @Test func establishedAtIsStableForOneSA() {
        let board = RuntimeBoard()
        func look(at observed: Int64, age: Int) {
            var runtime = ConnectionRuntime(status: .active)
            runtime.establishedSeconds = age
            board.publish(["c1": .init(runtime: runtime, projectID: "p", observedAt: observed)])
        }
        look(at: 1000, age: 10)
        #expect(board.entry("c1")?.establishedAt == 990)
        look(at: 1006, age: 15)   // 991: the same SA seen across a second boundary
        #expect(board.entry("c1")?.establishedAt == 990)
        look(at: 1007, age: 18)   // 989
        #expect(board.entry("c1")?.establishedAt == 990)
        board.update("c1", .init(runtime: { var r = ConnectionRuntime(status: .active); r.establishedSeconds = 19; return r }(), projectID: "p", observedAt: 1010))
        #expect(board.entry("c1")?.establishedAt == 990)   // 991 via update: still the same SA
        look(at: 1020, age: 2)    // a new SA
        #expect(board.entry("c1")?.establishedAt == 1018)
        look(at: 1021, age: 0)
        #expect(board.entry("c1")?.establishedAt == 1021)  // yet another one
        board.publish(["c1": .init(runtime: ConnectionRuntime(status: .down), projectID: "p", observedAt: 1022)])
        #expect(board.entry("c1")?.establishedAt == nil)
    }
}

@Suite("Agent reports in the store")
struct AgentReportTests {
    @Test func reportsSetStatusesButNeverClearANewerPendingUpdate() async throws {
        let store = try SQLiteStore()
        let vpn = VPN(store: store, newID: { "" }, agentManaged: true)
        let state = Fixture.twoSites()
        try await store.write { tx in
            for n in state.networks { try await tx.insert(n) }
            for s in state.subnets { try await tx.insert(s) }
            for r in state.routers {
                var r = r
                r.gateway = nil
                try await tx.insert(r)
            }
            for p in state.ports where p.deviceOwner != "network:router_gateway" { try await tx.insert(p) }
            for p in state.ikePolicies { try await tx.insert(p) }
            for p in state.ipsecPolicies { try await tx.insert(p) }
            for s in state.vpnServices { try await tx.insert(s) }
            for g in state.endpointGroups { try await tx.insert(g) }
            for c in state.connections { try await tx.insert(c) }
        }
        let realised = try #require(try await store.read { try await $0.ipsecSiteConnection("conn-left") })
        var report = VPNStatusReport(services: ["svc-left": .active], connections: ["conn-left": .init(status: .active, realised: realised)])
        #expect(try await vpn.applyAgentReport(report) == 2)
        #expect(try await vpn.applyAgentReport(report) == 0, "unchanged statuses write nothing")

        // The user changes the peer while the agent still reports the old version.
        var updated = realised
        updated.status = .pendingUpdate
        updated.peerAddress = "2001:db8::99"
        let pending = updated
        try await store.write { try await $0.update(pending) }
        report.connections["conn-left"] = .init(status: .down, realised: realised)
        try await vpn.applyAgentReport(report)
        #expect(try await store.read { try await $0.ipsecSiteConnection("conn-left") }?.status == .pendingUpdate)
        report.connections["conn-left"] = .init(status: .active, realised: updated)
        try await vpn.applyAgentReport(report)
        #expect(try await store.read { try await $0.ipsecSiteConnection("conn-left") }?.status == .active)
    }

    @Test func changeFeedCoalescesAndWakesEverySubscriber() async {
        let feed = ChangeFeed()
        let a = feed.subscribe()
        let b = feed.subscribe()
        feed.signal()
        feed.signal()
        var ia = a.makeAsyncIterator()
        var ib = b.makeAsyncIterator()
        #expect(await ia.next() != nil)
        #expect(await ib.next() != nil)
    }
}
