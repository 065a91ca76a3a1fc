import Hummingbird
import VPNaaSCore
import VPNaaSDomain
import VPNaaSWire

extension Dashboard {
    /// The user guide's router steps: set or clear the external gateway, add or remove a subnet interface.
    /// Each posts the same body the CLI sends, so refusals read the same.
    func registerRouterActions<Context: RequestContext>(on group: RouterGroup<Context>) {
        let d = self
        let n = networking
        group.post("routers/:id/gateway") { request, context in
            let (session, form) = try await d.postedSession(request)
            let id = try context.parameters.require("id")
            let body: JSONValue = .object(["router": .object(["external_gateway_info": .object(["network_id": .string(form["network_id"] ?? "")])])])
            return try await d.routerAction(id, session) { _ = try await n.updateRouter(id, try VPNaaSDomain.Router.parseUpdate(body), session.identity) }
        }
        group.post("routers/:id/gateway/clear") { request, context in
            let (session, _) = try await d.postedSession(request)
            let id = try context.parameters.require("id")
            let body: JSONValue = .object(["router": .object(["external_gateway_info": .object([:])])])
            return try await d.routerAction(id, session) { _ = try await n.updateRouter(id, try VPNaaSDomain.Router.parseUpdate(body), session.identity) }
        }
        group.post("routers/:id/interfaces/add") { request, context in
            let (session, form) = try await d.postedSession(request)
            let id = try context.parameters.require("id")
            let body: JSONValue = .object(["subnet_id": .string(form["subnet_id"] ?? "")])
            return try await d.routerAction(id, session) {
                _ = try await n.addRouterInterface(id, try VPNaaSDomain.Router.parseInterface(body), session.identity)
            }
        }
        group.post("routers/:id/interfaces/remove") { request, context in
            let (session, form) = try await d.postedSession(request)
            let id = try context.parameters.require("id")
            let body: JSONValue = .object(["subnet_id": .string(form["subnet_id"] ?? "")])
            return try await d.routerAction(id, session) {
                _ = try await n.removeRouterInterface(id, try VPNaaSDomain.Router.parseInterface(body), session.identity)
            }
        }
    }

    /// Runs an action on a router and shows the router again, with the API's refusal if there was one.
    func routerAction(_ id: String, _ session: DashboardSession, _ action: () async throws -> Void) async throws -> Response {
        let routers = page("routers")
        do {
            try await action()
            return DashboardHTTP.seeOther("/dashboard/routers/\(id)")
        } catch let error as VPNaaSError {
            return try await detailPage(routers, session, object: try await routers.operations.show(id, session.identity), error: error)
        }
    }

    func routerExtras(_ id: String, _ session: DashboardSession) async throws -> String {
        let router = try await networking.router(id, session.identity)
        let networks = try await networking.networks(session.identity)
        let subnets = try await networking.subnets(session.identity)
        let subnetNames = Dictionary(subnets.map { ($0.0.id, Dashboard.label($0.0.wire(external: $0.external))) }) { a, _ in a }
        let ports = try await networking.ports(session.identity).filter {
            $0.deviceID == id && $0.deviceOwner == Port.Owner.routerInterface
        }
        let interfaces: [[String: Any]] = ports.flatMap { port in
            port.fixedIPs.map { ip in
                ["subnetID": ip.subnetID, "subnet": subnetNames[ip.subnetID] ?? ip.subnetID, "ip": ip.ipAddress.description, "routerID": id]
            }
        }
        let attached = Set(ports.flatMap { $0.fixedIPs.map(\.subnetID) })
        let free = subnets.filter { !$0.external && !attached.contains($0.0.id) }.map {
            ["id": $0.0.id, "label": Dashboard.label($0.0.wire(external: $0.external))]
        }
        let gatewayNetwork = router.gateway.flatMap { gw in networks.first { $0.id == gw.networkID } }
        return views.render(
            "router-extras",
            [
                "id": id, "csrf": Dashboard.csrf(for: session.token),
                "gateway": router.gateway == nil ? false : (gatewayNetwork.map { Dashboard.label($0.wire) } ?? router.gateway!.networkID) as Any,
                "gatewayNetworkID": router.gateway?.networkID ?? "",
                "gatewayIPs": router.gateway?.fixedIPs.map(\.ipAddress.description).joined(separator: ", ") ?? "",
                "externalNetworks": networks.filter(\.external).map { ["id": $0.id, "label": Dashboard.label($0.wire)] },
                "interfaces": interfaces,
                "subnets": free, "hasSubnets": !free.isEmpty,
            ])
    }
}
