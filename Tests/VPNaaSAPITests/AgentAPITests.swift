import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VPNaaSAPI
import VPNaaSCore
import VPNaaSDomain
import VPNaaSStore

/// Neutron's agent and L3-scheduler APIs through the real router, over agents registered by their reports:
/// listing, scheduling (least loaded), admin moves, policy, failover after the down time, deleting a dead agent.
@Suite struct AgentAPITests {
    struct WallClock: Sendable {
        var now: Timestamp { Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }
    }

    @Test func agentsSchedulingAndFailover() async throws {
        let store = try SQLiteStore()
        // The routes judge liveness by the wall clock, so the use-cases here do too.
        let clock = WallClock()
        let agents = NetworkAgents(store: store, downTime: 75, now: { clock.now }, newID: { UUID().uuidString.lowercased() })
        let a = try await agents.heartbeat(AgentHeartbeat(host: "net-1", configurations: ["agent_mode": "legacy", "routers": "0"], starting: true))
        let b = try await agents.heartbeat(AgentHeartbeat(host: "net-2", configurations: ["agent_mode": "legacy"], starting: true))
        #expect(try await agents.heartbeat(AgentHeartbeat(host: "net-1", configurations: ["agent_mode": "legacy", "routers": "0"])).id == a.id)
        try await TestAPI.app(store: store).test(.router) { c in
            var routers: [String] = []
            for name in ["r1", "r2", "r3"] {
                routers.append(try await c.call(.post, "/v2.0/routers", ["router": ["name": name]]).id("router"))
            }
            let list = try await c.call(.get, "/v2.0/agents")
            let rows = list.object["agents"] as? [[String: Any]] ?? []
            #expect(rows.map { $0["host"] as? String } == ["net-1", "net-2"])
            #expect(rows.first?["agent_type"] as? String == "L3 agent" && rows.first?["binary"] as? String == "vpnaasd-agent")
            #expect(rows.first?["alive"] as? Bool == true && rows.first?["admin_state_up"] as? Bool == true)
            #expect((rows.first?["configurations"] as? [String: Any])?["routers"] as? Int == 0)
            #expect((rows.first?["heartbeat_timestamp"] as? String)?.count == 19)
            #expect(try await c.call(.get, "/v2.0/agents?host=net-2").object["agents"].map { ($0 as? [Any])?.count } == 1)
            #expect(try await c.call(.get, "/v2.0/agents?agent_type=DHCP%20agent").object["agents"].map { ($0 as? [Any])?.count } == 0)

            // Scheduling: the three routers spread, least loaded first.
            let mine1 = try await agents.routers(scheduledTo: "net-1").mine
            let mine2 = try await agents.routers(scheduledTo: "net-2").mine
            #expect(mine1.count + mine2.count == 3 && abs(mine1.count - mine2.count) == 1 && mine1.isDisjoint(with: mine2))
            let r = routers[0]
            let host = try await c.call(.get, "/v2.0/routers/\(r)/l3-agents").object["agents"] as? [[String: Any]] ?? []
            let owner = host.first?["id"] as? String ?? ""
            let other = owner == a.id ? b.id : a.id
            #expect(host.count == 1)
            let hosted = try await c.call(.get, "/v2.0/agents/\(owner)/l3-routers").object["routers"] as? [[String: Any]] ?? []
            #expect(hosted.contains { $0["id"] as? String == r })

            // Moving it: hosted elsewhere is 409, so remove first; removed stays unhosted; then add.
            let taken = try await c.call(.post, "/v2.0/agents/\(other)/l3-routers", ["router_id": r])
            #expect(taken.status == 409 && taken.errorType == "RouterHostedByL3Agent")
            #expect(try await c.call(.delete, "/v2.0/agents/\(other)/l3-routers/\(r)").errorType == "RouterNotHostedByL3Agent")
            #expect(try await c.call(.delete, "/v2.0/agents/\(owner)/l3-routers/\(r)").status == 204)
            #expect(try await agents.routers(scheduledTo: "net-1").unhosted == [r])
            #expect((try await c.call(.get, "/v2.0/routers/\(r)/l3-agents").object["agents"] as? [Any])?.isEmpty == true)
            let added = try await c.call(.post, "/v2.0/agents/\(other)/l3-routers", ["router_id": r])
            #expect(added.status == 201 && added.json is NSNull)
            #expect(try await c.call(.post, "/v2.0/agents/\(other)/l3-routers", ["router_id": r]).status == 201)
            let now = try await c.call(.get, "/v2.0/routers/\(r)/l3-agents").object["agents"] as? [[String: Any]] ?? []
            #expect(now.map { $0["id"] as? String } == [other])

            // Admin state, description; a disabled agent takes no routers.
            let put = try await c.call(.put, "/v2.0/agents/\(owner)", ["agent": ["admin_state_up": false, "description": "drain"]])
            #expect(put.resource("agent")["admin_state_up"] as? Bool == false && put.resource("agent")["description"] as? String == "drain")
            #expect(try await c.call(.put, "/v2.0/agents/\(owner)", ["agent": ["host": "x"]]).status == 400)
            let refused = try await c.call(.post, "/v2.0/agents/\(owner)/l3-routers", ["router_id": routers[1]])
            #expect(refused.status == 404 && refused.errorType == "InvalidL3Agent")

            // Policy: members see no agents and may not steer them.
            let member = Caller(project: "p1")
            #expect((try await c.call(.get, "/v2.0/agents", as: member).object["agents"] as? [Any])?.isEmpty == true)
            #expect(try await c.call(.get, "/v2.0/agents/\(owner)", as: member).status == 404)
            #expect(try await c.call(.get, "/v2.0/routers/\(r)/l3-agents", as: member).status == 403)
            #expect(try await c.call(.put, "/v2.0/agents/\(owner)", ["agent": ["admin_state_up": true]], as: member).status == 403)
            #expect(try await c.call(.get, "/v2.0/agents/nope").errorType == "AgentNotFound")
            #expect(try await c.call(.get, "/v2.0/routers/nope/l3-agents").status == 404)

            // A live agent cannot be deleted.
            let live = try await c.call(.delete, "/v2.0/agents/\(other)")
            #expect(live.status == 409 && (live.errorMessage ?? "").contains("alive"))

            // Failover: `other` stopped reporting 200 s ago (> the 75 s down time); its routers move to the live,
            // re-enabled agent.
            _ = try await c.call(.put, "/v2.0/agents/\(owner)", ["agent": ["admin_state_up": true]])
            let ownerHost = owner == a.id ? "net-1" : "net-2"
            try await store.write { tx in
                guard var silent = try await tx.networkAgent(other) else { return }
                silent.heartbeatAt = Timestamp(secondsSinceEpoch: clock.now.secondsSinceEpoch - 200)
                try await tx.upsert(silent)
            }
            let dead = try await c.call(.get, "/v2.0/agents/\(other)").resource("agent")
            #expect(dead["alive"] as? Bool == false)
            let after = try await agents.routers(scheduledTo: ownerHost)
            #expect(after.mine == Set(routers) && after.unhosted.isEmpty)
            // The dead agent can go now; bindings to it are gone with it.
            #expect(try await c.call(.delete, "/v2.0/agents/\(other)").status == 204)
            #expect(try await c.call(.get, "/v2.0/agents").object["agents"].map { ($0 as? [Any])?.count } == 1)
        }
    }
}
