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
package actor NetworkRealiser: RouterNetwork {
    let host: NetworkHost
    let layout: AgentLayout
    let logger: Logger
    private var bridges: [String: BridgePlan] = [:]
    private var routers: [String: RouterPlan] = [:]
    private var probes: [String: ProbePlan] = [:]
    private var collected = false
    /// Router and probe namespaces this agent created: only those are ever removed, so another
    /// agent's (e.g. a second vpnaasd on the host) are left alone. Persisted to survive restarts.
    private var owned: Set<String>
    let ownershipFile: String?

    package init(host: NetworkHost, layout: AgentLayout, ownershipFile: String? = nil, logger: Logger) {
        self.host = host
        self.layout = layout
        self.logger = logger
        self.ownershipFile = ownershipFile
        self.owned = Self.readOwned(ownershipFile)
    }

    static func readOwned(_ path: String?) -> Set<String> {
        guard let path, let data = FileManager.default.contents(atPath: path),
            let names = try? JSONDecoder().decode([String].self, from: data)
        else { return [] }
        return Set(names)
    }

    func setOwned(_ name: String, _ isOwned: Bool) {
        let changed = isOwned ? owned.insert(name).inserted : owned.remove(name) != nil
        guard changed, let path = ownershipFile, let data = try? JSONEncoder().encode(owned.sorted()) else { return }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600])
    }

    /// - Returns: problems by router id (a router that failed stays out of the applied memory and
    ///   is retried on the next pass).
    package func apply(_ plan: HostPlan) async throws -> [String: String] {
        var problems: [String: String] = [:]
        let topologyChanged =
            Set(plan.bridges.map(\.name)) != Set(bridges.keys) || Set(plan.routers.map(\.routerID)) != Set(routers.keys)
            || Set(plan.probes.map(\.portID)) != Set(probes.keys)
        for bridge in plan.bridges where bridges[bridge.name] != bridge {
            try await realise(bridge, previous: bridges[bridge.name])
            bridges[bridge.name] = bridge
        }
        for router in plan.routers {
            let wanted = router.networkPart
            guard routers[router.routerID] != wanted else { continue }
            do {
                try await realise(wanted, previous: routers[router.routerID])
                routers[router.routerID] = wanted
            } catch {
                logger.error("router realisation failed", metadata: ["router.id": "\(router.routerID)", "error": "\(error)"])
                problems[router.routerID] = "router namespace could not be set up: \(error)"
            }
        }
        for probe in plan.probes where probes[probe.portID] != probe {
            do {
                try await realise(probe, previous: probes[probe.portID])
                probes[probe.portID] = probe
            } catch {
                logger.error("probe realisation failed", metadata: ["port.id": "\(probe.portID)", "error": "\(error)"])
            }
        }
        if topologyChanged || !collected {
            try await collect(plan)
            collected = true
        }
        return problems
    }

    // MARK: namespaces

    func ensureNamespace(_ name: String, forwarding: Bool) async throws {
        if name.hasPrefix("qrouter-") || name.hasPrefix("qprobe-") { setOwned(name, true) }
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

    func realise(_ bridge: BridgePlan, previous: BridgePlan?) async throws {
        guard let namespace = bridge.namespace else { return }
        try await ensureNamespace(namespace, forwarding: false)
        try await host.addBridge(bridge.name, in: namespace)
        try await host.setLink(bridge.name, in: namespace, up: true)
        try await converge(addresses: bridge.addresses, on: bridge.name, in: namespace)
    }

    // MARK: ports

    /// A veth pair: `port.name` inside `namespace`, its peer plugged into the bridge.
    func realise(_ port: PortPlan, in namespace: String) async throws {
        if try await host.link(port.name, in: namespace) == nil {
            // A leftover peer (e.g. its namespace was deleted by hand) would block the new pair.
            try await host.deleteLink(port.peer, in: port.bridgeNamespace)
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

    // MARK: garbage

    /// Removes router/probe namespaces, bridges and ports that no object wants any more. Only
    /// names this agent makes are considered, and only in namespaces it owns.
    func collect(_ plan: HostPlan) async throws {
        let wantedNamespaces = Set(plan.routers.map(\.namespace) + plan.probes.map(\.namespace))
        var existing = Set(try await host.namespaces())
        for namespace in existing
        where owned.contains(namespace) && !wantedNamespaces.contains(namespace) {
            try await host.deleteNamespace(namespace)
            setOwned(namespace, false)
            existing.remove(namespace)
            logger.info("namespace removed", metadata: ["netns": "\(namespace)"])
        }
        routers = routers.filter { id, _ in plan.routers.contains { $0.routerID == id } }
        probes = probes.filter { id, _ in plan.probes.contains { $0.portID == id } }

        let wantedPeers = Set(
            (plan.routers.flatMap { [$0.gateway].compactMap { $0 } + $0.interfaces } + plan.probes.map(\.port)).map(\.peer))
        let wantedBridges = Set(plan.bridges.map(\.name))
        let owned = Set([layout.l2Namespace] + plan.bridges.compactMap(\.namespace))
            .union(existing.filter { $0.hasPrefix(layout.providerNamespacePrefix) })
        for namespace in owned where existing.contains(namespace) {
            let links = try await host.links(in: namespace)
            for link in links where link.name.hasPrefix("vp-") && !wantedPeers.contains(link.name) {
                try await host.deleteLink(link.name, in: namespace)
            }
            for link in links where link.name.hasPrefix("brq") && !wantedBridges.contains(link.name) {
                try await host.deleteLink(link.name, in: namespace)
            }
            if !plan.bridges.contains(where: { $0.namespace == namespace }) {
                try await host.deleteNamespace(namespace)
                logger.info("namespace removed", metadata: ["netns": "\(namespace)"])
            }
        }
        bridges = bridges.filter { name, _ in wantedBridges.contains(name) }
    }
}

extension RoutePlan {
    var netns: Route {
        blackhole ? Route(destination, type: .blackhole) : Route(destination, via: via)
    }
}
