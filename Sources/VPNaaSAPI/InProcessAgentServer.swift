import Foundation
import Synchronization
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

    /// One element each time this host's desired state may have changed (`waitForChange`).
    package func changes() -> AsyncStream<Void> {
        let cursor = WaitCursor(version: feed.version)
        return AsyncStream { [self] in
            while !Task.isCancelled {
                let (version, live) = cursor.position.withLock { $0 }
                let now = await waitForChange(after: version, live: live, timeout: .seconds(30))
                cursor.position.withLock { $0 = now }
                if now.version != version || (live != nil && now.live != live) { return () }
            }
            return nil
        }
    }

    /// Waits until this host's desired state may have changed: a write announced after `version`, or the set of
    /// live agents no longer the one `live` digests (an agent died, was admin-moved or came: routers move, VXLAN
    /// flood lists change; checked every second), or `timeout`. Returns the version and the live digest then (with
    /// `live` nil, the current one: the baseline of the next wait).
    package func waitForChange(after version: Int, live: String?, timeout: Duration) async -> (version: Int, live: String?) {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var baseline = live
        if baseline == nil { baseline = try? await liveDigest() }
        while !Task.isCancelled {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { break }
            let now = await feed.waitForChange(after: version, timeout: min(left, .seconds(1)))
            if now != version { return (now, baseline) }
            let current = try? await liveDigest()
            if let baseline, let current, current != baseline { return (now, current) }
            if baseline == nil { baseline = current }
        }
        return (feed.version, baseline)
    }

    /// The live agents, as a short text that is the same on every replica.
    func liveDigest() async throws -> String {
        // FNV-1a over the sorted ids: stable across processes (Swift's Hasher is seeded per process).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in try await agents.liveAgents().sorted().joined(separator: ",").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

/// Where an in-process `changes()` stream stands between two elements.
private final class WaitCursor: Sendable {
    let position: Mutex<(version: Int, live: String?)>
    init(version: Int) { position = Mutex((version, nil)) }
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
