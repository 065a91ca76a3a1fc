/// A network host's agent as the server knows it: what Neutron's agents API shows (`openstack network agent
/// list`), and what the scheduler places routers on. One row per host; the agent's own reports keep it fresh.
package struct NetworkAgent: Codable, Sendable, Equatable, Identifiable {
    package typealias ID = String

    /// What Neutron's L3 agent reports as its type, binary name and RPC topic; ours says which program it is.
    package static let agentType = "L3 agent"
    package static let binary = "vpnaasd-agent"
    package static let topic = "l3_agent"

    package var id: ID
    package var host: String
    /// Operator switch: an admin-down agent keeps its routers but is given no new ones.
    package var adminStateUp: Bool
    package var description: String
    /// What the agent last reported about itself (backend, mappings, counts), shown as `configurations`.
    package var configurations: [String: String]
    package var createdAt: Timestamp
    /// When the running agent process started (its first report since).
    package var startedAt: Timestamp
    /// The last report: the agent is alive while this is younger than the server's down time.
    package var heartbeatAt: Timestamp

    package init(
        id: ID, host: String, adminStateUp: Bool = true, description: String = "", configurations: [String: String] = [:],
        createdAt: Timestamp, startedAt: Timestamp, heartbeatAt: Timestamp
    ) {
        self.id = id
        self.host = host
        self.adminStateUp = adminStateUp
        self.description = description
        self.configurations = configurations
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
    }

    /// Alive: reported within `downTime` seconds of `now` (Neutron's `agent_down_time`).
    package func isAlive(now: Timestamp, downTime: Int64) -> Bool {
        now.secondsSinceEpoch - heartbeatAt.secondsSinceEpoch <= downTime
    }
}

/// One report of an agent about itself: sent when it starts and then periodically; the first report of a
/// host registers it.
package struct AgentHeartbeat: Codable, Sendable, Equatable {
    package var host: String
    package var configurations: [String: String]
    /// True on the first report of a process: the server then records a new `started_at`.
    package var starting: Bool

    package init(host: String, configurations: [String: String] = [:], starting: Bool = false) {
        self.host = host
        self.configurations = configurations
        self.starting = starting
    }
}

/// Where routers go: pure placement decisions over the agents and the current bindings, so the policy is
/// tested without a store.
package enum RouterScheduler {
    /// The agents that may take new routers: alive and admin-up.
    package static func candidates(_ agents: [NetworkAgent], now: Timestamp, downTime: Int64) -> [NetworkAgent] {
        agents.filter { $0.adminStateUp && $0.isAlive(now: now, downTime: downTime) }
    }

    /// New bindings for every router that has never been scheduled or whose agent is dead (failover): each goes
    /// to the candidate hosting the fewest routers at that moment (ties: the host name, for a stable choice).
    /// Routers bound to a live agent stay where they are (admin-down agents keep theirs); routers an admin took
    /// off their agent (`nil` binding) stay unhosted until placed by hand. Without any candidate nothing moves.
    package static func place(
        routers: [Router.ID], bindings: [Router.ID: NetworkAgent.ID?], agents: [NetworkAgent], now: Timestamp,
        downTime: Int64
    ) -> [Router.ID: NetworkAgent.ID] {
        let alive = Set(agents.filter { $0.isAlive(now: now, downTime: downTime) }.map(\.id))
        let candidates = self.candidates(agents, now: now, downTime: downTime).sorted { $0.host < $1.host }
        guard !candidates.isEmpty else { return [:] }
        var load: [NetworkAgent.ID: Int] = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id, 0) })
        for case (_, let agent?) in bindings where alive.contains(agent) { load[agent, default: 0] += 1 }
        var placed: [Router.ID: NetworkAgent.ID] = [:]
        for router in routers.sorted() {
            switch bindings[router] {
            case .some(.none): continue  // taken off by an admin
            case .some(.some(let agent)) where alive.contains(agent): continue
            default: break
            }
            guard let best = candidates.min(by: { (load[$0.id] ?? 0, $0.host) < (load[$1.id] ?? 0, $1.host) }) else { break }
            placed[router] = best.id
            load[best.id, default: 0] += 1
        }
        return placed
    }
}
