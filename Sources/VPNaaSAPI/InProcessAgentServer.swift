import Foundation
import VPNaaSPlan
import VPNaaSCore
import VPNaaSDomain
import VPNaaSStore

/// The agent protocol served in-process (`all-in-one`): desired state straight from the store, reports
/// through the same use-cases a remote agent's would reach.
package struct InProcessAgentServer: AgentServer {
    /// The store without change notifications: the agent's own status writes must not wake it.
    let store: any Store
    let feed: ChangeFeed
    let vpn: VPN
    let retention: EventRetention
    /// The agent's host name, as it registers (one agent per host).
    let host: String
    let agents: NetworkAgents
    /// This replica's board, which remote agents' figures are published to (the in-process agent writes it itself).
    let board: RuntimeBoard?

    package init(
        store: any Store, feed: ChangeFeed, host: String, agents: NetworkAgents, board: RuntimeBoard? = nil,
        retention: EventRetention = .default
    ) {
        self.store = store
        self.feed = feed
        self.retention = retention
        self.host = host
        self.agents = agents
        self.board = board
        self.vpn = VPN(store: store, newID: { "" })
    }

    /// A remote agent's runtime picture: stored (so every replica's `RuntimeBoardSync` picks it up) and put on this
    /// replica's board at once.
    package func acceptRuntime(_ entries: [IPsecSiteConnection.ID: RuntimeBoard.Entry]) async throws {
        let encoder = JSONEncoder()
        var rows: [IPsecSiteConnection.ID: String] = [:]
        for (id, entry) in entries { rows[id] = String(decoding: try encoder.encode(entry), as: UTF8.self) }
        let host = host
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let encoded = rows
        try await store.write { tx in try await tx.replaceConnectionRuntimes(host: host, encoded, updatedMillis: now) }
        board?.publish(entries, source: host)
    }

    package func desiredState() async throws -> DesiredState {
        var state = try await DesiredState.load(from: store)
        let routers = try await agents.routers(scheduledTo: host, among: state.routers.map(\.id))
        try await markUnhosted(routers.unhosted, in: state)
        state.tunnelPeers = try await agents.tunnelPeers(except: host)
        return state.restricted(to: routers.mine, host: host)
    }

    /// VPN services and connections of routers no live agent hosts are DOWN: nothing realises them anywhere
    /// (an admin took the router off its agent, or its agent died with no other to take it). Written only
    /// when one is not DOWN yet.
    func markUnhosted(_ routers: Set<Router.ID>, in state: DesiredState) async throws {
        guard !routers.isEmpty else { return }
        let services = state.vpnServices.filter { routers.contains($0.routerID) }
        let serviceIDs = Set(services.map(\.id))
        let connections = state.connections.filter { serviceIDs.contains($0.vpnServiceID) && $0.status != .down }
        let stale = services.filter { $0.status != .down }
        guard !stale.isEmpty || !connections.isEmpty else { return }
        try await vpn.applyAgentReport(
            VPNStatusReport(
                services: Dictionary(uniqueKeysWithValues: stale.map { ($0.id, .down) }),
                connections: Dictionary(uniqueKeysWithValues: connections.map { ($0.id, .init(status: .down, realised: $0)) })))
    }

    package func heartbeat(_ beat: AgentHeartbeat) async throws {
        var beat = beat
        beat.host = host
        try await agents.heartbeat(beat)
    }

    package func report(_ report: VPNStatusReport) async throws {
        try await vpn.applyAgentReport(report)
    }

    package func record(_ events: [ConnectionEvent]) async throws {
        try await vpn.recordConnectionEvents(
            events, retention: retention, nowMillis: Int64(Date().timeIntervalSince1970 * 1000))
    }

    package func changes() -> AsyncStream<Void> { feed.subscribe() }
}

extension DesiredState {
    /// One consistent snapshot of everything the agent (and the peer-config renderer) derives plans from.
    package static func load(from store: any Store) async throws -> DesiredState {
        try await store.read { tx in
            var s = DesiredState()
            s.networks = try await tx.networks()
            s.subnets = try await tx.subnets(networkID: nil)
            s.ports = try await tx.ports(networkID: nil, deviceID: nil)
            s.routers = try await tx.routers()
            s.ikePolicies = try await tx.ikePolicies()
            s.ipsecPolicies = try await tx.ipsecPolicies()
            s.vpnServices = try await tx.vpnServices(routerID: nil)
            s.endpointGroups = try await tx.endpointGroups()
            s.connections = try await tx.ipsecSiteConnections()
            return s
        }
    }
}
