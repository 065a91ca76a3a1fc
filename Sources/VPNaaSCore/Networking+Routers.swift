import VPNaaSDomain
import VPNaaSStore

extension Networking {
    package func routers(_ identity: Identity) async throws -> [Router] {
        try await store.read { tx in try await tx.routers().filter { identity.owns($0.projectID) } }
    }

    package func router(_ id: Router.ID, _ identity: Identity) async throws -> Router {
        try await store.read { tx in try await tx.visibleRouter(id, identity) }
    }

    package func createRouter(_ input: Router.Create, _ identity: Identity) async throws -> Router {
        try requireWriter(identity, "create_router")
        if let flavor = input.flavorID ?? nil { throw VPNaaSError.notFound(.flavor, id: flavor) }
        let project = try owner(input.projectID, identity, "create_router")
        let now = now()
        let id = newID()
        let gatewayPortID = newID()
        let mac = newMAC()
        let quotaDefaults = quotaDefaults
        return try await write { tx in
            try await tx.enforceQuota(.router, project: project, defaults: quotaDefaults)
            var router = Router(
                id: id, projectID: project, name: input.name ?? "", description: input.description ?? "",
                adminStateUp: input.adminStateUp ?? true, status: "ACTIVE", gateway: nil, routes: [],
                stamps: .new(at: now))
            try await tx.insert(router)
            if let gateway = input.gateway ?? nil {
                router.gateway = try await Networking.setGateway(
                    gateway, on: router, portID: gatewayPortID, mac: mac, now: now, identity, tx)
                router.stamps = router.stamps.bumped(at: now)
            }
            if let routes = input.routes {
                try await Networking.checkRoutes(routes, router: router, tx)
                router.routes = routes
            }
            router.stamps = router.stamps.bumped(at: now)
            try await tx.update(router)
            return try await tx.router(id) ?? router
        }
    }

    /// Creates (or re-addresses) the gateway port on an external network and returns the gateway.
    static func setGateway(
        _ input: Router.GatewayInput, on router: Router, portID: Port.ID, mac: String, now: Timestamp,
        _ identity: Identity, _ tx: any StoreWriter
    ) async throws -> Router.Gateway {
        if !identity.isAdmin {
            if input.enableSNAT != nil {
                throw VPNaaSError.policyNotAuthorized(action: "update_router:external_gateway_info:enable_snat")
            }
            if input.fixedIPs != nil {
                throw VPNaaSError.policyNotAuthorized(action: "update_router:external_gateway_info:external_fixed_ips")
            }
        }
        let network = try await tx.visibleNetwork(input.networkID, identity)
        guard network.external else {
            throw VPNaaSError.badResourceRequest(
                resource: "router", message: "Network \(network.id) is not an external network")
        }
        if let current = router.gateway, current.networkID == network.id {
            var gateway = current
            gateway.enableSNAT = input.enableSNAT ?? current.enableSNAT
            if let requests = input.fixedIPs, var port = try await tx.port(current.portID) {
                port.fixedIPs = try await allocate(requests, network: network.id, mac: port.macAddress, portID: port.id, tx)
                port.stamps = port.stamps.bumped(at: now)
                try await tx.update(port)
                gateway.fixedIPs = port.fixedIPs
            }
            return gateway
        }
        if let current = router.gateway {
            try await clearGateway(current, of: router, tx)
        }
        let ips = try await allocate(input.fixedIPs, network: network.id, mac: mac, portID: nil, tx)
        // Neutron gives gateway ports no project, so tenants never see (or delete) them.
        let port = Port(
            id: portID, projectID: "", networkID: network.id, name: "", description: "", macAddress: mac,
            adminStateUp: true, status: "DOWN", deviceID: router.id, deviceOwner: Port.Owner.routerGateway, fixedIPs: ips,
            portSecurityEnabled: false, bindingHostID: "", stamps: .new(at: now, revision: 1))
        try await tx.insert(port)
        return Router.Gateway(networkID: network.id, portID: portID, enableSNAT: input.enableSNAT ?? true, fixedIPs: ips)
    }

    /// Removes the gateway port; the caller clears `router.gateway` and saves the router.
    static func clearGateway(_ gateway: Router.Gateway, of router: Router, _ tx: any StoreWriter) async throws {
        var detached = router
        detached.gateway = nil
        try await tx.update(detached)
        try await tx.deletePort(gateway.portID)
    }

    /// Every nexthop must be on a subnet the router is attached to.
    static func checkRoutes(_ routes: [HostRoute], router: Router, _ tx: any StoreReader) async throws {
        guard !routes.isEmpty else { return }
        var cidrs: [CIDR] = []
        for port in try await tx.ports(networkID: nil, deviceID: router.id) where port.isRouterPort {
            for ip in port.fixedIPs {
                if let s = try await tx.subnet(ip.subnetID) { cidrs.append(s.cidr) }
            }
        }
        for route in routes where !cidrs.contains(where: { $0.contains(route.nexthop) }) {
            throw VPNaaSError.neutron(
                status: 400, type: "InvalidRoutes",
                message: "Invalid format for routes: [{'destination': '\(route.destination)', 'nexthop': '\(route.nexthop)'}], the nexthop is not connected with router")
        }
    }

    package func updateRouter(_ id: Router.ID, _ input: Router.Update, _ identity: Identity, ifRevision: Int? = nil) async throws
        -> Router
    {
        try requireWriter(identity, "update_router")
        let now = now()
        let gatewayPortID = newID()
        let mac = newMAC()
        let guards = routerGuards
        return try await write { tx in
            var router = try await tx.visibleRouter(id, identity)
            try router.stamps.require(revision: ifRevision)
            if let gatewayChange = input.gateway {
                if let gateway = gatewayChange {
                    if let current = router.gateway, current.networkID != gateway.networkID {
                        try await guards.beforeGatewayRemoval(router, tx)
                    }
                    router.gateway = try await Networking.setGateway(
                        gateway, on: router, portID: gatewayPortID, mac: mac, now: now, identity, tx)
                } else if let current = router.gateway {
                    try await guards.beforeGatewayRemoval(router, tx)
                    try await Networking.clearGateway(current, of: router, tx)
                    router.gateway = nil
                }
            }
            if let routes = input.routes {
                try await Networking.checkRoutes(routes, router: router, tx)
                router.routes = routes
            }
            if let v = input.name { router.name = v }
            if let v = input.description { router.description = v }
            if let v = input.adminStateUp { router.adminStateUp = v }
            router.stamps = router.stamps.bumped(at: now)
            try await tx.update(router)
            return try await tx.router(id) ?? router
        }
    }

    package func deleteRouter(_ id: Router.ID, _ identity: Identity, ifRevision: Int? = nil) async throws {
        try requireWriter(identity, "delete_router")
        let guards = routerGuards
        try await write { tx in
            let router = try await tx.visibleRouter(id, identity)
            try router.stamps.require(revision: ifRevision)
            if try await tx.ports(networkID: nil, deviceID: id).contains(where: { $0.deviceOwner == Port.Owner.routerInterface }) {
                throw VPNaaSError.routerInUse(id)
            }
            try await guards.beforeRouterDelete(router, tx)
            try await tx.deleteRouter(id)
            if let gateway = router.gateway { try await tx.deletePort(gateway.portID) }
        }
    }
}
