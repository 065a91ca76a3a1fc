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

    package init(store: any Store, feed: ChangeFeed, retention: EventRetention = .default) {
        self.store = store
        self.feed = feed
        self.retention = retention
        self.vpn = VPN(store: store, newID: { "" })
    }

    package func desiredState() async throws -> DesiredState {
        try await DesiredState.load(from: store)
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
