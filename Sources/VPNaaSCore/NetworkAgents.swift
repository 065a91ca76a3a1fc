import VPNaaSDomain
import VPNaaSStore

/// Neutron's agent and L3-scheduler APIs over the agents the hosts register, and the scheduler that binds
/// routers to them: admins see and steer the agents (`openstack network agent …`), agents report themselves
/// and learn which routers are theirs.
package struct NetworkAgents: UseCases {
    package let store: any Store
    let now: @Sendable () -> Timestamp
    let newID: @Sendable () -> String
    /// Seconds without a report after which an agent is dead (Neutron's `agent_down_time`).
    package let downTime: Int64

    package init(
        store: any Store, downTime: Int64 = 75, now: @escaping @Sendable () -> Timestamp,
        newID: @escaping @Sendable () -> String
    ) {
        self.store = store
        self.downTime = downTime
        self.now = now
        self.newID = newID
    }

    private func requireAdmin(_ identity: Identity, _ action: String) throws {
        guard identity.isAdmin else { throw VPNaaSError.policyNotAuthorized(action: action) }
    }

    // MARK: - Agents API

    /// `GET /v2.0/agents`: admins only; others see none (Neutron filters what policy hides).
    package func list(_ identity: Identity) async throws -> [NetworkAgent] {
        guard identity.isAdmin else { return [] }
        return try await store.read { tx in try await tx.networkAgents() }
    }

    package func show(_ id: NetworkAgent.ID, _ identity: Identity) async throws -> NetworkAgent {
        guard identity.isAdmin, let agent = try await store.read({ tx in try await tx.networkAgent(id) }) else {
            throw VPNaaSError.notFound(.agent, id: id)
        }
        return agent
    }

    /// `PUT /v2.0/agents/{id}`: `admin_state_up` and `description` only.
    package func update(_ id: NetworkAgent.ID, adminStateUp: Bool?, description: String?, _ identity: Identity) async throws
        -> NetworkAgent
    {
        try requireAdmin(identity, "update_agent")
        if let description, description.count > 255 {
            throw VPNaaSError.invalidAttribute("description", reason: "'\(description)' exceeds maximum length of 255")
        }
        return try await write { tx in
            guard var agent = try await tx.networkAgent(id) else { throw VPNaaSError.notFound(.agent, id: id) }
            if let adminStateUp { agent.adminStateUp = adminStateUp }
            if let description { agent.description = description }
            try await tx.upsert(agent)
            return agent
        }
    }

    /// `DELETE /v2.0/agents/{id}`: only a dead agent (a live one would register again at its next report);
    /// its routers are then scheduled anew.
    package func delete(_ id: NetworkAgent.ID, _ identity: Identity) async throws {
        try requireAdmin(identity, "delete_agent")
        let now = now()
        let downTime = downTime
        try await write { tx in
            guard let agent = try await tx.networkAgent(id) else { throw VPNaaSError.notFound(.agent, id: id) }
            if agent.isAlive(now: now, downTime: downTime) {
                throw VPNaaSError.neutron(
                    status: 409, type: "AgentInUse",
                    message: "Agent \(id) on host \(agent.host) is alive; stop it (or wait \(downTime) s after it stops) before deleting it.")
            }
            try await tx.deleteNetworkAgent(id)
        }
    }

    // MARK: - L3 scheduler API

    /// `GET /v2.0/routers/{id}/l3-agents`.
    package func l3Agents(hosting routerID: Router.ID, _ identity: Identity) async throws -> [NetworkAgent] {
        try requireAdmin(identity, "get_l3-agents")
        return try await store.read { tx in
            guard try await tx.router(routerID) != nil else { throw VPNaaSError.notFound(.router, id: routerID) }
            guard case .some(.some(let agentID)) = try await tx.routerBindings()[routerID] else { return [] }
            return try await tx.networkAgent(agentID).map { [$0] } ?? []
        }
    }

    /// `GET /v2.0/agents/{id}/l3-routers`.
    package func l3Routers(of agentID: NetworkAgent.ID, _ identity: Identity) async throws -> [Router] {
        try requireAdmin(identity, "get_l3-routers")
        return try await store.read { tx in
            guard try await tx.networkAgent(agentID) != nil else { throw VPNaaSError.notFound(.agent, id: agentID) }
            let mine = Set(try await tx.routerBindings().compactMap { $0.value == agentID ? $0.key : nil })
            return try await tx.routers().filter { mine.contains($0.id) }.sorted { $0.id < $1.id }
        }
    }

    /// `POST /v2.0/agents/{id}/l3-routers`: schedules the router there. Already there: nothing to do; on another
    /// agent: Neutron's 409 (remove it there first); a disabled agent takes no routers (404, as Neutron).
    package func add(router routerID: Router.ID, to agentID: NetworkAgent.ID, _ identity: Identity) async throws {
        try requireAdmin(identity, "create_l3-router")
        try await write { tx in
            guard let agent = try await tx.networkAgent(agentID) else { throw VPNaaSError.notFound(.agent, id: agentID) }
            guard agent.adminStateUp else {
                throw VPNaaSError.neutron(status: 404, type: "InvalidL3Agent", message: "Agent \(agentID) is not a L3 Agent or has been disabled")
            }
            guard try await tx.router(routerID) != nil else { throw VPNaaSError.notFound(.router, id: routerID) }
            switch try await tx.routerBindings()[routerID] {
            case .some(.some(let current)) where current == agentID:
                return
            case .some(.some(let current)):
                throw VPNaaSError.neutron(
                    status: 409, type: "RouterHostedByL3Agent",
                    message: "The router \(routerID) has been already hosted by the L3 Agent \(current).")
            default:
                try await tx.bind(router: routerID, to: agentID)
            }
        }
    }

    /// `DELETE /v2.0/agents/{id}/l3-routers/{router_id}`: the router stays unhosted until an admin adds it to
    /// an agent (the scheduler does not place it again behind the admin's back).
    package func remove(router routerID: Router.ID, from agentID: NetworkAgent.ID, _ identity: Identity) async throws {
        try requireAdmin(identity, "delete_l3-router")
        try await write { tx in
            guard try await tx.networkAgent(agentID) != nil else { throw VPNaaSError.notFound(.agent, id: agentID) }
            guard case .some(.some(let current)) = try await tx.routerBindings()[routerID], current == agentID else {
                throw VPNaaSError.neutron(
                    status: 409, type: "RouterNotHostedByL3Agent",
                    message: "The router \(routerID) is not hosted by L3 agent \(agentID).")
            }
            try await tx.unbind(router: routerID)
        }
    }

    // MARK: - What agents call

    /// An agent's report about itself: registers its host on the first one.
    @discardableResult
    package func heartbeat(_ beat: AgentHeartbeat) async throws -> NetworkAgent {
        let now = now()
        let newID = newID()
        return try await write { tx in
            var agent =
                try await tx.networkAgents().first { $0.host == beat.host }
                ?? NetworkAgent(id: newID, host: beat.host, createdAt: now, startedAt: now, heartbeatAt: now)
            agent.configurations = beat.configurations
            agent.heartbeatAt = now
            if beat.starting { agent.startedAt = now }
            try await tx.upsert(agent)
            return agent
        }
    }

    /// Places every router that needs an agent (never scheduled, or its agent dead) and answers the routers
    /// bound to `host`'s agent, and those no live agent hosts (taken off by an admin, or with no agent to go to).
    /// `among`: the routers of the caller's own snapshot (the agent server's desired state), so a pass reads the
    /// routers once; nil reads them here. One read when nothing needs placing; a placement is decided again inside
    /// a write, on that write's own reads, so concurrent schedulers on several hosts agree.
    package func routers(scheduledTo host: String, among routerIDs: [Router.ID]? = nil) async throws
        -> (mine: Set<Router.ID>, unhosted: Set<Router.ID>)
    {
        let now = now()
        let downTime = downTime
        let (pending, answer) = try await store.read { tx in
            var ids = routerIDs
            if ids == nil { ids = try await tx.routers().map(\.id) }
            return try await Self.schedule(host, routerIDs: ids ?? [], tx, now: now, downTime: downTime)
        }
        guard !pending.isEmpty else { return answer }
        return try await write { tx in
            let ids = try await tx.routers().map(\.id)
            let (placed, _) = try await Self.schedule(host, routerIDs: ids, tx, now: now, downTime: downTime)
            for (router, agent) in placed { try await tx.bind(router: router, to: agent) }
            return try await Self.schedule(host, routerIDs: ids, tx, now: now, downTime: downTime).1
        }
    }

    /// The placements due, and the routers of `host` and the unhosted ones as the bindings stand.
    private static func schedule(
        _ host: String, routerIDs: [Router.ID], _ tx: any StoreReader, now: Timestamp, downTime: Int64
    ) async throws -> ([Router.ID: NetworkAgent.ID], (mine: Set<Router.ID>, unhosted: Set<Router.ID>)) {
        let agents = try await tx.networkAgents()
        let bindings = try await tx.routerBindings()
        let placed = RouterScheduler.place(routers: routerIDs, bindings: bindings, agents: agents, now: now, downTime: downTime)
        let alive = Set(agents.filter { $0.isAlive(now: now, downTime: downTime) }.map(\.id))
        let hosted = Set(bindings.compactMap { router, agent in agent.map(alive.contains) == true ? router : nil })
        let unhosted = Set(routerIDs).subtracting(hosted)
        guard let mine = agents.first(where: { $0.host == host })?.id else { return (placed, ([], unhosted)) }
        return (placed, (Set(bindings.compactMap { $0.value == mine ? $0.key : nil }), unhosted))
    }

    /// The ids of the agents alive now (a change in this set moves routers and changes VXLAN flood lists, so it
    /// wakes agents as a write does).
    package func liveAgents() async throws -> Set<NetworkAgent.ID> {
        let now = now()
        let downTime = downTime
        return try await store.read { tx in
            Set(try await tx.networkAgents().filter { $0.isAlive(now: now, downTime: downTime) }.map(\.id))
        }
    }

    /// The underlay addresses (`tunnel_local_ip`) of the live agents other than `host`'s.
    package func tunnelPeers(except host: String) async throws -> [String] {
        let now = now()
        let downTime = downTime
        return try await store.read { tx in
            try await tx.networkAgents().filter { $0.host != host && $0.isAlive(now: now, downTime: downTime) }
                .compactMap { $0.configurations["tunnel_local_ip"] }.sorted()
        }
    }
}
