import Testing
import VPNaaSDomain

/// Where routers go: least-loaded live admin-up agent, failover off dead agents, admin removals respected.
struct RouterSchedulerTests {
    static let now = Timestamp(secondsSinceEpoch: 1_000_000)

    static func agent(_ id: String, beat: Int64 = 0, up: Bool = true) -> NetworkAgent {
        NetworkAgent(
            id: id, host: "host-\(id)", adminStateUp: up, createdAt: now, startedAt: now,
            heartbeatAt: Timestamp(secondsSinceEpoch: now.secondsSinceEpoch - beat))
    }

    @Test func newRoutersSpreadOverTheLeastLoadedAgents() {
        let agents = [Self.agent("a"), Self.agent("b")]
        let placed = RouterScheduler.place(
            routers: ["r1", "r2", "r3", "r4"], bindings: ["r1": "a"], agents: agents, now: Self.now, downTime: 75)
        // a already hosts r1: b takes the next, then they alternate (ties go to the host name).
        #expect(placed == ["r2": "b", "r3": "a", "r4": "b"])
    }

    @Test func deadAgentsLoseTheirRoutersAndDisabledOnesKeepThem() {
        let agents = [Self.agent("dead", beat: 76), Self.agent("off", up: false), Self.agent("live")]
        let placed = RouterScheduler.place(
            routers: ["r1", "r2", "r3"], bindings: ["r1": "dead", "r2": "off"], agents: agents, now: Self.now, downTime: 75)
        #expect(placed == ["r1": "live", "r3": "live"])
        // Exactly at the down time the agent still counts as alive.
        #expect(Self.agent("edge", beat: 75).isAlive(now: Self.now, downTime: 75))
        #expect(!Self.agent("edge", beat: 76).isAlive(now: Self.now, downTime: 75))
    }

    @Test func removedByAnAdminStaysUnhostedAndNothingMovesWithoutCandidates() {
        let bindings: [String: String?] = ["r1": String?.none]
        #expect(RouterScheduler.place(routers: ["r1"], bindings: bindings, agents: [Self.agent("a")], now: Self.now, downTime: 75).isEmpty)
        // Only dead or disabled agents: nothing is placed, nothing moves.
        let none = [Self.agent("dead", beat: 100), Self.agent("off", up: false)]
        #expect(RouterScheduler.place(routers: ["r1", "r2"], bindings: ["r1": "dead"], agents: none, now: Self.now, downTime: 75).isEmpty)
    }
}
