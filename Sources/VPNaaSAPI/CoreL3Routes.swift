import Hummingbird
import VPNaaSCore
import VPNaaSDomain
import VPNaaSWire

/// Networks, subnets, routers (with interface actions) and ports under `/v2.0`.
struct CoreL3Routes {
    let networking: Networking

    func register(on v2: RouterGroup<APIRequestContext>) {
        let n = networking
        ResourceRoutes<Network>(
            singular: "network", plural: "networks", filterable: Network.filterable, render: { $0.wire },
            list: { try await n.networks($0) },
            show: { try await n.network($0, $1) },
            create: { try await n.createNetwork(try Network.parseCreate($0), $1) },
            update: { try await n.updateNetwork($0, try Network.parseUpdate($1), $2, ifRevision: $3) },
            delete: { try await n.deleteNetwork($0, $1, ifRevision: $2) },
            listSchema: .networks, listPage: { try await n.networks($0, $1) }
        ).register(on: v2, path: "networks")

        ResourceRoutes<(Subnet, external: Bool)>(
            singular: "subnet", plural: "subnets", filterable: Subnet.filterable,
            render: { $0.0.wire(external: $0.external) },
            list: { try await n.subnets($0) },
            show: { try await n.subnet($0, $1) },
            create: { try await n.createSubnet(try Subnet.parseCreate($0), $1) },
            update: { try await n.updateSubnet($0, try Subnet.parseUpdate($1), $2, ifRevision: $3) },
            delete: { try await n.deleteSubnet($0, $1, ifRevision: $2) }
        ).register(on: v2, path: "subnets")

        ResourceRoutes<VPNaaSDomain.Router>(
            singular: "router", plural: "routers", filterable: Router.filterable, render: { $0.wire },
            list: { try await n.routers($0) },
            show: { try await n.router($0, $1) },
            create: { try await n.createRouter(try Router.parseCreate($0), $1) },
            update: { try await n.updateRouter($0, try Router.parseUpdate($1), $2, ifRevision: $3) },
            delete: { try await n.deleteRouter($0, $1, ifRevision: $2) },
            listSchema: .routers, listPage: { try await n.routers($0, $1) }
        ).register(on: v2, path: "routers")

        ResourceRoutes<Port>(
            singular: "port", plural: "ports", filterable: Port.filterable, render: { $0.wire },
            list: { try await n.ports($0) },
            show: { try await n.port($0, $1) },
            create: { try await n.createPort(try Port.parseCreate($0), $1) },
            update: { try await n.updatePort($0, try Port.parseUpdate($1), $2, ifRevision: $3) },
            delete: { try await n.deletePort($0, $1, ifRevision: $2) },
            listSchema: .ports, listPage: { try await n.ports($0, $1) }
        ).register(on: v2, path: "ports")

        v2.put("routers/:id/add_router_interface") { request, context in
            // Neutron sets the If-Match constraint on member actions too: it holds the router's revision.
            let precondition = try IfMatch.revision(request.headers[values: .ifMatch])
            let body = try VPNaaSDomain.Router.parseInterface(try await RequestBody.json(request))
            let info = try await n.addRouterInterface(
                try context.parameters.require("id"), body, context.identity, ifRevision: precondition)
            return JSONResponse.make(info.wire)
        }
        v2.put("routers/:id/remove_router_interface") { request, context in
            // Neutron sets the If-Match constraint on member actions too: it holds the router's revision.
            let precondition = try IfMatch.revision(request.headers[values: .ifMatch])
            let body = try VPNaaSDomain.Router.parseInterface(try await RequestBody.json(request))
            let info = try await n.removeRouterInterface(
                try context.parameters.require("id"), body, context.identity, ifRevision: precondition)
            return JSONResponse.make(info.wire)
        }
    }
}
