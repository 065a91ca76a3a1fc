import Hummingbird
import VPNaaSCore
import VPNaaSDomain
import VPNaaSWire

/// Neutron's `quotas` and `quota_details` extensions under `/v2.0/quotas`, as `openstack quota
/// show/set/list/delete` drive them.
struct QuotaRoutes {
    let quotas: Quotas

    func register(on v2: RouterGroup<APIRequestContext>) {
        let q = quotas
        v2.get("quotas") { _, context in
            let all = try await q.all(context.identity)
            return JSONResponse.make(["quotas": .array(all.map { .object($0.limits.wire(project: $0.projectID)) })])
        }
        v2.post("quotas") { _, _ -> Response in
            throw VPNaaSError.neutron(
                status: 501, type: "HTTPNotImplemented", message: "POST requests are not supported on this resource.")
        }
        // The caller's own project id (Neutron's `tenant` is the deprecated spelling of `project`).
        for key in ["project", "tenant"] {
            v2.get(RouterPath("quotas/\(key)")) { _, context in
                JSONResponse.make([key: .object(["\(key)_id": .string(context.identity.projectID)])])
            }
        }
        v2.get("quotas/:project") { _, context in
            let limits = try await q.limits(of: try context.parameters.require("project"), context.identity)
            return JSONResponse.make(["quota": .object(limits.wire)])
        }
        v2.get("quotas/:project/default") { _, context in
            let limits = try q.defaultLimits(of: try context.parameters.require("project"), context.identity)
            return JSONResponse.make(["quota": .object(limits.wire)])
        }
        v2.get("quotas/:project/details") { _, context in
            let usage = try await q.details(of: try context.parameters.require("project"), context.identity)
            var o: JSONObject = [:]
            for (resource, line) in usage { o[resource.rawValue] = line.wire }
            return JSONResponse.make(["quota": .object(o)])
        }
        v2.put("quotas/:project") { request, context in
            let update = try QuotaUpdate.parse(try await RequestBody.json(request))
            let limits = try await q.update(try context.parameters.require("project"), update, context.identity)
            return JSONResponse.make(["quota": .object(limits.wire)])
        }
        v2.delete("quotas/:project") { _, context in
            try await q.reset(try context.parameters.require("project"), context.identity)
            return JSONResponse.noContent
        }
    }
}
