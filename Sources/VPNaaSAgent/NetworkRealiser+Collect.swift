import VPNaaSPlan
import Logging
import NetNS

extension NetworkRealiser {
    func own(namespace: String) {
        guard ownership.namespaces.insert(namespace).inserted else { return }
        persist()
    }

    func own(link name: String, in namespace: String?) {
        guard ownership.links.insert(Ownership.key(name, in: namespace)).inserted else { return }
        persist()
    }

    func persist() {
        if let ownershipFile { ownership.write(ownershipFile) }
    }

    // MARK: garbage

    /// Removes namespaces, bridges and ports that no object wants any more — only ones this agent
    /// recorded as created. A shared namespace it made goes only once nothing but `lo` is left in it
    /// (another agent's bridges may live there too).
    func collect(_ plan: HostPlan) async throws {
        let wantedNamespaces = Set(plan.routers.map(\.namespace) + plan.probes.map(\.namespace))
        var existing = Set(try await host.namespaces())
        let perObject = ownership.namespaces.filter { $0.hasPrefix("qrouter-") || $0.hasPrefix("qprobe-") }
        for namespace in perObject.sorted() where !wantedNamespaces.contains(namespace) {
            if existing.contains(namespace) {
                try await host.deleteNamespace(namespace)
                existing.remove(namespace)
                logger.info("namespace removed", metadata: ["netns": "\(namespace)"])
            }
            ownership.namespaces.remove(namespace)
        }
        routers = routers.filter { id, _ in plan.routers.contains { $0.routerID == id } }
        probes = probes.filter { id, _ in plan.probes.contains { $0.portID == id } }

        let wantedLinks = plan.linkKeys
        // Ports before bridges, so a bridge is empty of our ports when it goes.
        let stale = ownership.links.subtracting(wantedLinks).sorted { a, b in
            (Ownership.split(a).name.hasPrefix("vp-") ? 0 : 1, a) < (Ownership.split(b).name.hasPrefix("vp-") ? 0 : 1, b)
        }
        for key in stale {
            let (namespace, name) = Ownership.split(key)
            // Links inside a namespace that is gone went with it.
            if namespace.map(existing.contains) ?? true {
                try await host.deleteLink(name, in: namespace)
                if !name.hasPrefix("vp-") { logger.info("bridge removed", metadata: ["netns": "\(namespace ?? "(agent)")", "link": "\(name)"]) }
            }
            ownership.links.remove(key)
        }
        bridges = bridges.filter { name, _ in plan.bridges.contains { $0.name == name } }

        let wantedShared = Set(plan.bridges.compactMap(\.namespace))
        for namespace in ownership.namespaces.sorted() where !perObject.contains(namespace) && !wantedShared.contains(namespace) {
            if existing.contains(namespace) {
                let others = try await host.links(in: namespace).filter { $0.name != "lo" }
                if !others.isEmpty {
                    logger.debug("shared namespace kept: it holds links this agent did not make", metadata: [
                        "netns": "\(namespace)", "links": "\(others.map(\.name))",
                    ])
                    continue
                }
                try await host.deleteNamespace(namespace)
                logger.info("namespace removed", metadata: ["netns": "\(namespace)"])
            }
            ownership.namespaces.remove(namespace)
        }
        persist()
    }
}
