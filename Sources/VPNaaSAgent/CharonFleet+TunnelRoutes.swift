import Logging
import NetNS
import VPNaaSDomain
import VPNaaSPlan

extension CharonFleet {
    /// Converges the router's MTU routes into the TUN (`TunnelRoutePlan`) and returns what is now
    /// applied. Done here, not by the network realiser, because the device is charon's: it appears
    /// when charon starts and takes its routes with it when charon dies, so a new or adopted
    /// instance starts from nothing applied and re-writes them (idempotently). A failure is logged
    /// and retried at the next pass; the MSS clamp and the fail-closed blackholes do not depend on it.
    func applyTunnelRoutes(_ wanted: [TunnelRoutePlan], applied: [TunnelRoutePlan], router: RouterPlan) async -> [TunnelRoutePlan] {
        guard wanted != applied else { return applied }
        let host = NetworkHost(runner: process.runner, logger: logger)
        do {
            for family in IPFamily.allCases where wanted.contains(where: { $0.family == family }) {
                try await host.addRule(Self.tunnelRule(family), in: router.namespace)
            }
            for route in wanted where !applied.contains(route) {
                try await host.replaceRoute(route.netns, in: router.namespace)
            }
            for route in applied where !wanted.contains(route) {
                try await host.deleteRoute(route.netns, in: router.namespace)
            }
            for family in IPFamily.allCases
            where applied.contains(where: { $0.family == family }) && !wanted.contains(where: { $0.family == family }) {
                try await host.deleteRule(Self.tunnelRule(family), in: router.namespace)
            }
            return wanted
        } catch {
            logger.error("tunnel MTU routes failed", metadata: ["router.id": "\(router.routerID)", "error": "\(error)"])
            return []
        }
    }

    static func tunnelRule(_ family: IPFamily) -> PolicyRule {
        PolicyRule(family: family, priority: TunnelRoutePlan.rulePriority, table: TunnelRoutePlan.table)
    }
}

extension TunnelRoutePlan {
    var family: IPFamily { destination.version == 4 ? .inet : .inet6 }

    var netns: Route {
        Route(destination.description, device: Self.device, table: Self.table, mtu: mtu, family: family)
    }
}
