import VPNaaSPlan
import Foundation
import Logging
import NetNS

/// The network edge the agent drives; a fake records calls in unit tests.
package protocol RouterNetwork: Sendable {
    /// Converges namespaces, links, addresses, routes and nftables on `plan`, touching only what
    /// changed since the last call, and removes what no longer belongs to any object.
    func apply(_ plan: HostPlan) async throws -> [String: String]
}

/// Realises a `HostPlan` with iproute2/nft through `NetworkHost`. Remembers what it applied, so
/// an unchanged router costs nothing; after a restart that memory is empty and every object is
/// re-applied with idempotent operations (adoption without disruption).
///
/// It removes only what it created (`Ownership`, persisted in the state dir), so a second agent or
/// the operator's own bridges, ports and namespaces on the host are never undone.
package actor NetworkRealiser: RouterNetwork {
    let host: NetworkHost
    let layout: AgentLayout
    let logger: Logger
    var bridges: [String: BridgePlan] = [:]
    var routers: [String: RouterPlan] = [:]
    var probes: [String: ProbePlan] = [:]
    /// The links the plan wanted at the last collection; a change triggers the next one.
    var collectedLinks: Set<String>?
    var ownership: Ownership
    let ownershipFile: String?
    /// The last problem logged per object ("physnet:…", "router:…", "probe:…", "bridge:…"): an unchanged
    /// fault is logged once, not on every pass.
    var reported: [String: String] = [:]

    package init(host: NetworkHost, layout: AgentLayout, ownershipFile: String? = nil, logger: Logger) {
        self.host = host
        self.layout = layout
        self.logger = logger
        self.ownershipFile = ownershipFile
        self.ownership = Ownership.read(ownershipFile)
    }

    /// - Returns: problems by router id (a router that failed stays out of the applied memory and
    ///   is retried on the next pass, silently while the reason stays the same).
    package func apply(_ plan: HostPlan) async throws -> [String: String] {
        var problems: [String: String] = [:]
        var blocked = try await checkMappings()
        let topologyChanged =
            Set(plan.bridges.map(\.name)) != Set(bridges.keys) || Set(plan.routers.map(\.routerID)) != Set(routers.keys)
            || Set(plan.probes.map(\.portID)) != Set(probes.keys) || collectedLinks != plan.linkKeys
        // Bridges, then routers, several at a time: realising one is mostly waiting on ip and the kernel, and a host
        // taking over many routers at once (failover) must not build them one after the other.
        var dueBridges = plan.bridges.filter { bridge in
            bridges[bridge.name] != bridge && !(bridge.physicalNetwork.map { blocked[$0] != nil } ?? false)
        }
        // Shared namespaces first, one at a time: two `ip netns add` of one name racing can leave the loser using it
        // before the winner mounted it.
        for namespace in Set(dueBridges.compactMap(\.namespace)).sorted() {
            do {
                try await ensureNamespace(namespace, forwarding: false)
            } catch {
                for bridge in dueBridges where bridge.namespace == namespace {
                    blocked[bridge.name] = "bridge \(bridge.name) could not be set up: \(error)"
                    note("bridge:\(bridge.name)", blocked[bridge.name])
                }
            }
        }
        dueBridges.removeAll { blocked[$0.name] != nil }
        for (name, failure) in await concurrently(dueBridges, limit: Self.parallelism, { bridge in await self.realiseRecorded(bridge) }) {
            // Ports on a failed bridge cannot work either: their routers show this reason.
            if let failure { blocked[name] = failure }
        }
        var dueRouters: [RouterPlan] = []
        for router in plan.routers {
            let ports = [router.gateway].compactMap { $0 } + router.interfaces
            if let reason = Self.blockingReason(ports, blocked) {
                // Re-applied in full once the mapping works again.
                routers[router.routerID] = nil
                problems[router.routerID] = reason
                note("router:\(router.routerID)", reason, ["router.id": "\(router.routerID)"])
                continue
            }
            if routers[router.routerID] != router.networkPart { dueRouters.append(router.networkPart) }
        }
        for (id, failure) in await concurrently(dueRouters, limit: Self.parallelism, { router in await self.realiseRecorded(router) }) {
            if let failure { problems[id] = failure }
        }
        try Task.checkCancellation()
        for probe in plan.probes where probes[probe.portID] != probe {
            if let reason = Self.blockingReason([probe.port], blocked) {
                note("probe:\(probe.portID)", reason, ["port.id": "\(probe.portID)"])
                continue
            }
            do {
                try await realise(probe, previous: probes[probe.portID])
                probes[probe.portID] = probe
                note("probe:\(probe.portID)", nil, ["port.id": "\(probe.portID)"])
            } catch {
                note("probe:\(probe.portID)", "probe could not be set up: \(error)", ["port.id": "\(probe.portID)"])
            }
        }
        if topologyChanged {
            try await collect(plan)
            collectedLinks = plan.linkKeys
        }
        return problems
    }

    /// How many bridges or routers are realised at once.
    static let parallelism = 8

    /// Realises one bridge and records the outcome: (its name, why it failed).
    func realiseRecorded(_ bridge: BridgePlan) async -> (String, String?) {
        do {
            try await realise(bridge, previous: bridges[bridge.name])
            bridges[bridge.name] = bridge
            note("bridge:\(bridge.name)", nil)
            return (bridge.name, nil)
        } catch {
            let reason = "bridge \(bridge.name) could not be set up: \(error)"
            note("bridge:\(bridge.name)", reason)
            return (bridge.name, reason)
        }
    }

    /// Realises one router's network part and records the outcome: (its id, the problem). Cancelled (shutting
    /// down): no problem recorded, and it stays out of the applied memory.
    func realiseRecorded(_ wanted: RouterPlan) async -> (String, String?) {
        let id = wanted.routerID
        do {
            try await realise(wanted, previous: routers[id])
            routers[id] = wanted
            note("router:\(id)", nil, ["router.id": "\(id)"])
            return (id, nil)
        } catch is CancellationError {
            return (id, nil)
        } catch {
            let problem = "router namespace could not be set up: \(error)"
            note("router:\(id)", problem, ["router.id": "\(id)"])
            return (id, problem)
        }
    }

    /// The reason a port's physical network or bridge is unusable, if any.
    static func blockingReason(_ ports: [PortPlan], _ blocked: [String: String]) -> String? {
        for port in ports {
            if let physnet = port.physicalNetwork, let reason = blocked[physnet] { return reason }
            if let reason = blocked[port.bridge] { return reason }
        }
        return nil
    }

    /// Host mappings checked against the agent's namespace (one `ip link show`, only when the layout has
    /// `bridge:`/`interface:` mappings): physical network → reason it cannot be used.
    func checkMappings() async throws -> [String: String] {
        guard !layout.hostMappings.isEmpty else { return [:] }
        let agentBridges = Set(ownership.links.map(Ownership.split).filter { $0.namespace == nil }.map(\.name))
        // Only the mapped devices, each by name: the namespace's whole link list grows with the routers.
        var links: [Link] = []
        for name in Set(layout.hostMappings.values.compactMap(\.hostDevice)).sorted() {
            if let link = try await host.link(name, in: nil) { links.append(link) }
        }
        let problems = layout.mappingProblems(links: links, agentBridges: agentBridges)
        for physnet in layout.hostMappings.keys.sorted() {
            note("physnet:\(physnet)", problems[physnet], ["physical_network": "\(physnet)"])
        }
        return problems
    }

    /// Logs a problem when it appears or changes, and its end once; silence while nothing changes.
    func note(_ key: String, _ problem: String?, _ metadata: Logger.Metadata = [:]) {
        guard reported[key] != problem else { return }
        var metadata = metadata
        if let problem {
            metadata["reason"] = "\(problem)"
            logger.error("network realisation failed; retried silently until the reason changes", metadata: metadata)
            reported[key] = problem
        } else if reported.removeValue(forKey: key) != nil {
            logger.notice("network problem resolved", metadata: metadata.merging(["object": "\(key)"]) { a, _ in a })
        }
    }

    // MARK: namespaces

    func ensureNamespace(_ name: String, forwarding: Bool) async throws {
        if name.hasPrefix("qrouter-") || name.hasPrefix("qprobe-") {
            own(namespace: name)
        } else if !ownership.namespaces.contains(name), try await !host.namespaces().contains(name) {
            // A shared namespace (vpnaas-l2, vpnaas-pn-*) is ours to delete only if we made it.
            own(namespace: name)
        }
        try await host.addNamespace(name)
        try await host.setLink("lo", in: name, up: true)
        var settings: [(key: String, value: String)] = [
            ("net.ipv6.conf.all.accept_dad", "0"), ("net.ipv6.conf.default.accept_dad", "0"),
            ("net.ipv6.conf.all.disable_ipv6", "0"), ("net.ipv6.conf.default.accept_ra", "0"),
        ]
        if forwarding {
            settings += [("net.ipv4.ip_forward", "1"), ("net.ipv6.conf.all.forwarding", "1")]
        }
        try await host.setSysctls(settings, in: name)
    }

    // MARK: bridges

    /// A bridge the agent makes: in a namespace of its own, or (`interface:`) in the agent's namespace
    /// with the NIC enslaved — whose addresses are left exactly as they are.
    func realise(_ bridge: BridgePlan, previous: BridgePlan?) async throws {
        if let namespace = bridge.namespace { try await ensureNamespace(namespace, forwarding: false) }
        own(link: bridge.name, in: bridge.namespace)
        try await host.addBridge(bridge.name, in: bridge.namespace)
        try await host.setLink(bridge.name, in: bridge.namespace, up: true)
        if let old = previous?.uplink, old != bridge.uplink { try await host.releaseLink(old, in: nil) }
        if let uplink = bridge.uplink { try await host.setLink(uplink, in: nil, up: true, master: bridge.name) }
        if bridge.namespace != nil || !bridge.addresses.isEmpty {
            try await converge(addresses: bridge.addresses, on: bridge.name, in: bridge.namespace)
        }
        if let namespace = bridge.namespace { try await realiseVXLAN(bridge.vxlan, previous: previous?.vxlan, on: bridge.name, in: namespace) }
    }

    /// The bridge's VXLAN port: created in the agent's namespace (where the underlay address is, so its UDP
    /// socket stays there) and moved into the bridge's; its flood list converged on the other hosts' addresses.
    func realiseVXLAN(_ vxlan: VXLANPlan?, previous: VXLANPlan?, on bridge: String, in namespace: String) async throws {
        if let old = previous, old.name != vxlan?.name || old.local != vxlan?.local || old.vni != vxlan?.vni {
            try await host.deleteLink(old.name, in: namespace)
        }
        guard let vxlan else { return }
        if try await host.link(vxlan.name, in: namespace) == nil {
            own(link: vxlan.name, in: namespace)
            try await host.addVXLAN(vxlan.name, vni: vxlan.vni, local: vxlan.local, in: nil)
            try await host.moveLink(vxlan.name, from: nil, to: namespace)
        }
        try await host.setLink(vxlan.name, in: namespace, up: true, master: bridge)
        let have = try await host.floodList(of: vxlan.name, in: namespace)
        for remote in vxlan.remotes where !have.contains(remote) {
            try await host.setFlood(vxlan.name, remote: remote, present: true, in: namespace)
        }
        for remote in have.sorted() where !vxlan.remotes.contains(remote) {
            try await host.setFlood(vxlan.name, remote: remote, present: false, in: namespace)
        }
    }

    // MARK: ports

    /// A veth pair: `port.name` inside `namespace`, its peer plugged into the bridge.
    func realise(_ port: PortPlan, in namespace: String) async throws {
        if try await host.link(port.name, in: namespace) == nil {
            // A leftover peer of ours (e.g. its namespace was deleted by hand) would block the new pair.
            if ownership.owns(port.peer, in: port.bridgeNamespace) { try await host.deleteLink(port.peer, in: port.bridgeNamespace) }
            own(link: port.peer, in: port.bridgeNamespace)
            try await host.addVethPair(port.name, in: namespace, peer: port.peer, in: port.bridgeNamespace)
        }
        try await host.setLink(port.name, in: namespace, mac: port.mac)
        try await host.setLink(port.peer, in: port.bridgeNamespace, up: true, master: port.bridge)
        try await host.setLink(port.name, in: namespace, up: true)
        try await converge(addresses: port.addresses, on: port.name, in: namespace)
    }

    func converge(addresses wanted: [String], on device: String, in namespace: String?) async throws {
        let current = try await host.addresses(of: device, in: namespace).filter { $0.scope == "global" }
        let have = Set(current.map { "\($0.address)/\($0.prefixLength)" })
        for cidr in wanted where !have.contains(cidr) {
            try await host.addAddress(cidr, to: device, in: namespace, noDAD: true)
        }
        for cidr in have where !wanted.contains(cidr) {
            try await host.deleteAddress(cidr, from: device, in: namespace)
        }
    }

    func converge(routes wanted: [RoutePlan], previous: [RoutePlan], in namespace: String) async throws {
        // Routes applied by the previous successful pass are still there; only new ones are written.
        for route in wanted where !previous.contains(route) { try await host.replaceRoute(route.netns, in: namespace) }
        for route in previous where !wanted.contains(route) {
            try await host.deleteRoute(route.netns, in: namespace)
        }
    }

    // MARK: routers and probes

    func realise(_ router: RouterPlan, previous: RouterPlan?) async throws {
        try await ensureNamespace(router.namespace, forwarding: true)
        let ports = [router.gateway].compactMap { $0 } + router.interfaces
        // Only ports that changed since the last successful pass: a router with 100 interfaces must not
        // re-run ~5 iproute2 commands per port whenever one route or connection changes. After a restart
        // `previous` is nil and every port is re-applied (idempotently).
        let applied = ([previous?.gateway].compactMap { $0 } + (previous?.interfaces ?? []))
        for port in ports where !applied.contains(port) { try await realise(port, in: router.namespace) }
        let old = applied.map(\.name)
        for name in old where !ports.contains(where: { $0.name == name }) {
            try await host.deleteLink(name, in: router.namespace)
        }
        try await converge(routes: router.routes, previous: previous?.routes ?? [], in: router.namespace)
        if let nft = router.nftables {
            if nft != previous?.nftables {
                try await host.replaceNftTable(family: "inet", name: "vpnaas", body: nft, in: router.namespace)
            }
        } else if previous == nil || previous?.nftables != nil {
            try await host.deleteNftTable(family: "inet", name: "vpnaas", in: router.namespace)
        }
        logger.info("router realised", metadata: ["router.id": "\(router.routerID)", "netns": "\(router.namespace)"])
    }

    func realise(_ probe: ProbePlan, previous: ProbePlan?) async throws {
        try await ensureNamespace(probe.namespace, forwarding: false)
        try await realise(probe.port, in: probe.namespace)
        try await converge(routes: probe.routes, previous: previous?.routes ?? [], in: probe.namespace)
    }
}

extension RoutePlan {
    var netns: Route {
        blackhole ? Route(destination, type: .blackhole) : Route(destination, via: via)
    }
}

extension HostPlan {
    /// Every link the agent makes for this plan, as `Ownership` keys: managed bridges, veth peers and VXLAN ports.
    var linkKeys: Set<String> {
        let ports = routers.flatMap { [$0.gateway].compactMap { $0 } + $0.interfaces } + probes.map(\.port)
        let vxlans = bridges.compactMap { b in b.vxlan.map { Ownership.key($0.name, in: b.namespace) } }
        return Set(
            bridges.map { Ownership.key($0.name, in: $0.namespace) } + ports.map { Ownership.key($0.peer, in: $0.bridgeNamespace) } + vxlans)
    }
}
