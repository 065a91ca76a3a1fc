import Testing
import VPNaaSCore
import VPNaaSDomain

@testable import VPNaaSAgent
@testable import VPNaaSPlan

/// `agent_max_routers`: routers with VPN connections beyond the host's capacity get no charon (their
/// namespace and fail-closed blackholes stay) and their connections report ERROR with the reason.
@Suite struct CapacityTests {
    static func layout(_ limit: Int?) -> AgentLayout {
        var layout = Fixture.layout
        layout.maxVPNRouters = limit
        return layout
    }

    @Test func withoutALimitEveryRouterIsPlanned() {
        let plan = HostPlan.build(Fixture.twoSites(), layout: Self.layout(nil))
        #expect(plan.routers.map(\.routerID) == ["router-left", "router-right"])
        #expect(plan.refused.isEmpty)
    }

    @Test func theOldestRouterWinsAFreshHost() {
        var state = Fixture.twoSites()
        state.routers[0].stamps.createdAt = Timestamp(secondsSinceEpoch: 200)  // left is younger
        state.routers[1].stamps.createdAt = Timestamp(secondsSinceEpoch: 100)
        let plan = HostPlan.build(state, layout: Self.layout(1))
        #expect(plan.refused == ["router-left"])
        #expect(plan.vpnRouterIDs == ["router-right"])
        let left = plan.routers.first { $0.routerID == "router-left" }
        #expect(left != nil && left?.vpn == nil)
        // Still fail-closed: the peer CIDR stays blackholed although no charon runs for it.
        #expect(left?.routes.contains(.blackhole(CIDR("2001:db8:1:33bd::/64")!)) == true)
    }

    @Test func aHostedRouterKeepsItsPlace() {
        let state = Fixture.twoSites()
        let plan = HostPlan.build(state, layout: Self.layout(1), hosting: ["router-right"])
        #expect(plan.vpnRouterIDs == ["router-right"])
        #expect(plan.refused == ["router-left"])
    }

    @Test func routersWithoutConnectionsDoNotCount() {
        var state = Fixture.twoSites()
        state.connections.removeAll { $0.id == "conn-left" }
        let plan = HostPlan.build(state, layout: Self.layout(1))
        #expect(plan.routers.map(\.routerID) == ["router-left", "router-right"])
        #expect(plan.refused.isEmpty)
    }

    @Test func refusedConnectionsAreErrorWithTheReason() {
        let state = Fixture.twoSites()
        let (report, entries) = Agent.statuses(state, runtimes: [:], refused: ["router-left"], limit: 1)
        #expect(report.connections["conn-left"]?.status == .error)
        #expect(report.services["svc-left"] == .error)
        #expect(entries["conn-left"]?.runtime.lastError == HostPlan.capacityReason(1))
        #expect(HostPlan.capacityReason(1).contains("maximum of 1 routers"))
        #expect(report.connections["conn-right"]?.status == .down)
        #expect(report.services["svc-right"] == .down)
    }
}
