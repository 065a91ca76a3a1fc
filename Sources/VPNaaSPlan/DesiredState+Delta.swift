import VPNaaSDomain

/// What changed in a host's desired state since the one an agent holds: only the objects new or changed, and the
/// ids of those gone. A remote agent fetches this after a write instead of its host's whole state, so what it
/// decodes and compares grows with the change, not with the cloud.
package struct DesiredStateDelta: Codable, Sendable, Equatable {
    /// The objects new or changed since the base, per collection.
    package var changed = DesiredState()
    /// The ids of objects no longer there, by collection (`networks`, `subnets`, `ports`, `routers`, `ikePolicies`,
    /// `ipsecPolicies`, `vpnServices`, `endpointGroups`, `connections`).
    package var removed: [String: [String]] = [:]
    /// The whole list (a handful of addresses).
    package var tunnelPeers: [String] = []

    package init() {}

    /// Nothing changed.
    package var isEmpty: Bool { changed == DesiredState(tunnelPeers: tunnelPeers) && removed.isEmpty }
}

extension DesiredState {
    init(tunnelPeers: [String]) {
        self.init()
        self.tunnelPeers = tunnelPeers
    }

    /// This state with every collection in id order: the order a delta's result has, so a state built from deltas
    /// equals the same state fetched whole.
    package func inIDOrder() -> DesiredState {
        var s = self
        s.networks.sort { $0.id < $1.id }
        s.subnets.sort { $0.id < $1.id }
        s.ports.sort { $0.id < $1.id }
        s.routers.sort { $0.id < $1.id }
        s.ikePolicies.sort { $0.id < $1.id }
        s.ipsecPolicies.sort { $0.id < $1.id }
        s.vpnServices.sort { $0.id < $1.id }
        s.endpointGroups.sort { $0.id < $1.id }
        s.connections.sort { $0.id < $1.id }
        return s
    }

    /// What turns `base` into this state.
    package func delta(from base: DesiredState) -> DesiredStateDelta {
        var removed: [String: [String]] = [:]
        func diff<T: Equatable>(_ key: String, _ old: [T], _ new: [T], _ id: (T) -> String) -> [T] {
            let before = Dictionary(old.map { (id($0), $0) }, uniquingKeysWith: { a, _ in a })
            let now = Set(new.map(id))
            let gone = old.map(id).filter { !now.contains($0) }
            if !gone.isEmpty { removed[key] = gone }
            return new.filter { before[id($0)] != $0 }
        }
        var d = DesiredStateDelta()
        d.changed.networks = diff("networks", base.networks, networks, \.id)
        d.changed.subnets = diff("subnets", base.subnets, subnets, \.id)
        d.changed.ports = diff("ports", base.ports, ports, \.id)
        d.changed.routers = diff("routers", base.routers, routers, \.id)
        d.changed.ikePolicies = diff("ikePolicies", base.ikePolicies, ikePolicies, \.id)
        d.changed.ipsecPolicies = diff("ipsecPolicies", base.ipsecPolicies, ipsecPolicies, \.id)
        d.changed.vpnServices = diff("vpnServices", base.vpnServices, vpnServices, \.id)
        d.changed.endpointGroups = diff("endpointGroups", base.endpointGroups, endpointGroups, \.id)
        d.changed.connections = diff("connections", base.connections, connections, \.id)
        d.changed.tunnelPeers = tunnelPeers
        d.tunnelPeers = tunnelPeers
        d.removed = removed
        return d
    }

    /// This state with `delta` applied, in id order.
    package func applying(_ delta: DesiredStateDelta) -> DesiredState {
        func merge<T>(_ key: String, _ base: [T], _ changed: [T], _ id: (T) -> String) -> [T] {
            var byID = Dictionary(base.map { (id($0), $0) }, uniquingKeysWith: { a, _ in a })
            for gone in delta.removed[key] ?? [] { byID[gone] = nil }
            for item in changed { byID[id(item)] = item }
            return byID.sorted { $0.key < $1.key }.map(\.value)
        }
        var s = DesiredState()
        s.networks = merge("networks", networks, delta.changed.networks, \.id)
        s.subnets = merge("subnets", subnets, delta.changed.subnets, \.id)
        s.ports = merge("ports", ports, delta.changed.ports, \.id)
        s.routers = merge("routers", routers, delta.changed.routers, \.id)
        s.ikePolicies = merge("ikePolicies", ikePolicies, delta.changed.ikePolicies, \.id)
        s.ipsecPolicies = merge("ipsecPolicies", ipsecPolicies, delta.changed.ipsecPolicies, \.id)
        s.vpnServices = merge("vpnServices", vpnServices, delta.changed.vpnServices, \.id)
        s.endpointGroups = merge("endpointGroups", endpointGroups, delta.changed.endpointGroups, \.id)
        s.connections = merge("connections", connections, delta.changed.connections, \.id)
        s.tunnelPeers = delta.tunnelPeers
        return s
    }
}

/// The agent API's answers, on both ends of the wire (`GET /v2.0/agent-api/desired-state` and `…/changes`).
package enum AgentWire {
    /// A host's desired state: whole (`state`), or a `delta` from the state sent under the tag `since`.
    package struct DesiredStateAnswer: Codable, Sendable {
        package var version: Int
        package var tag: String?
        package var state: DesiredState?
        package var since: String?
        package var delta: DesiredStateDelta?

        package init(version: Int, tag: String?, state: DesiredState? = nil, since: String? = nil, delta: DesiredStateDelta? = nil) {
            self.version = version
            self.tag = tag
            self.state = state
            self.since = since
            self.delta = delta
        }
    }

    /// Where the server's change counter and its live agents stand after a long-poll.
    package struct Changes: Codable, Sendable {
        package var version: Int
        package var live: String?

        package init(version: Int, live: String?) {
            self.version = version
            self.live = live
        }
    }
}
