import Hummingbird
import VPNaaSCore
import VPNaaSDomain
import VPNaaSWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Neutron's `agent` and `l3_agent_scheduler` extensions, as `openstack network agent list/show/set/delete`
/// and `openstack network agent add/remove router --l3` drive them. Admin only.
struct AgentRoutes {
    let agents: NetworkAgents

    /// List filters Neutron's agents API takes (repeated keys are OR).
    static let filterable: Set<String> = ["id", "host", "agent_type", "binary", "topic", "admin_state_up", "alive"]

    func register(on v2: RouterGroup<APIRequestContext>) {
        let a = agents
        let render: @Sendable (NetworkAgent) -> JSONObject = { agent in
            agent.wire(now: Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)), downTime: a.downTime)
        }
        v2.get("agents") { request, context in
            var filters: [String: Set<String>] = [:]
            for (key, value) in request.uri.queryParameters where Self.filterable.contains(String(key)) {
                filters[String(key), default: []].insert(String(value))
            }
            let rows = try await a.list(context.identity).map(render).filter { row in
                filters.allSatisfy { key, wanted in
                    switch row[key] {
                    case .string(let s): wanted.contains(s)
                    case .bool(let b): wanted.contains(b ? "True" : "False") || wanted.contains(b ? "true" : "false")
                    default: false
                    }
                }
            }
            return JSONResponse.make(["agents": .array(rows.map(JSONValue.object))])
        }
        v2.get("agents/:id") { _, context in
            JSONResponse.make(["agent": .object(render(try await a.show(try context.parameters.require("id"), context.identity)))])
        }
        v2.put("agents/:id") { request, context in
            let update = try NetworkAgent.parseUpdate(try await RequestBody.json(request))
            let agent = try await a.update(
                try context.parameters.require("id"), adminStateUp: update.adminStateUp, description: update.description,
                context.identity)
            return JSONResponse.make(["agent": .object(render(agent))])
        }
        v2.delete("agents/:id") { _, context in
            try await a.delete(try context.parameters.require("id"), context.identity)
            return JSONResponse.noContent
        }
        v2.get("routers/:id/l3-agents") { _, context in
            let hosting = try await a.l3Agents(hosting: try context.parameters.require("id"), context.identity)
            return JSONResponse.make(["agents": .array(hosting.map { .object(render($0)) })])
        }
        v2.get("agents/:id/l3-routers") { _, context in
            let routers = try await a.l3Routers(of: try context.parameters.require("id"), context.identity)
            return JSONResponse.make(["routers": .array(routers.map { .object($0.wire) })])
        }
        v2.post("agents/:id/l3-routers") { request, context in
            let body = try await RequestBody.json(request)
            guard let routerID = body["router_id"]?.stringValue else {
                throw VPNaaSError.badRequest("Request body must contain router_id")
            }
            try await a.add(router: routerID, to: try context.parameters.require("id"), context.identity)
            // Neutron answers the add with a JSON null (openstacksdk parses the body).
            return JSONResponse.make(.null, status: .created)
        }
        v2.delete("agents/:id/l3-routers/:router") { _, context in
            try await a.remove(router: try context.parameters.require("router"), from: try context.parameters.require("id"), context.identity)
            return JSONResponse.noContent
        }
    }
}
