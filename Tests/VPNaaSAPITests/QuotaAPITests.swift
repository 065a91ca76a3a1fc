import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VPNaaSAPI

/// Neutron's quota API (`quotas`, `quota_details`, `quota-check-limit`) through the real router:
/// every route, its policy, validation errors and enforcement on create.
@Suite struct QuotaAPITests {
    static let tenant = Caller(project: "project-a")
    static let other = Caller(project: "project-b")

    static func limits(_ reply: Reply) -> [String: Int] {
        (reply.object["quota"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
    }

    @Test func defaultsForEveryResource() async throws {
        try await TestAPI.test { c in
            let own = try await c.call(.get, "/v2.0/quotas/project-a", as: Self.tenant)
            #expect(own.status == 200)
            #expect(
                Self.limits(own) == [
                    "network": 100, "subnet": 100, "port": 500, "router": 10, "ikepolicy": 100, "ipsecpolicy": 100,
                    "vpnservice": 10, "endpoint_group": 200, "ipsec_site_connection": 100,
                ])
            let defaults = try await c.call(.get, "/v2.0/quotas/project-a/default", as: Self.tenant)
            #expect(defaults.status == 200)
            #expect(Self.limits(defaults) == Self.limits(own))
            let project = try await c.call(.get, "/v2.0/quotas/project", as: Self.tenant)
            #expect(project.resource("project")["project_id"] as? String == "project-a")
            let tenant = try await c.call(.get, "/v2.0/quotas/tenant", as: Self.tenant)
            #expect(tenant.resource("tenant")["tenant_id"] as? String == "project-a")
            let aliases = (try await c.call(.get, "/v2.0/extensions").object["extensions"] as? [[String: Any]] ?? [])
                .compactMap { $0["alias"] as? String }
            for alias in ["quotas", "quota_details", "quota-check-limit", "quota-check-limit-default"] {
                #expect(aliases.contains(alias))
            }
        }
    }

    @Test func membersReadOnlyTheirOwn() async throws {
        try await TestAPI.test { c in
            for path in ["/v2.0/quotas/project-b", "/v2.0/quotas/project-b/default", "/v2.0/quotas/project-b/details", "/v2.0/quotas"] {
                let denied = try await c.call(.get, path, as: Self.tenant)
                #expect(denied.status == 403, "\(path)")
                #expect(denied.errorType == "PolicyNotAuthorized")
                #expect(denied.errorMessage == "(rule:get_quota) is disallowed by policy")
            }
            let put = try await c.call(.put, "/v2.0/quotas/project-a", ["quota": ["router": 50]], as: Self.tenant)
            #expect(put.status == 403)
            #expect(put.errorMessage == "(rule:update_quota) is disallowed by policy")
            let delete = try await c.call(.delete, "/v2.0/quotas/project-a", as: Self.tenant)
            #expect(delete.status == 403)
            #expect(delete.errorMessage == "(rule:delete_quota) is disallowed by policy")
            #expect(try await c.call(.get, "/v2.0/quotas/project-a", as: Self.tenant).status == 200)
            #expect(try await c.call(.get, "/v2.0/quotas/project-a/details", as: Self.tenant).status == 200)
        }
    }

    @Test func adminSetsListsAndResets() async throws {
        try await TestAPI.test { c in
            #expect((try await c.call(.get, "/v2.0/quotas").object["quotas"] as? [Any])?.isEmpty == true)
            let set = try await c.call(.put, "/v2.0/quotas/project-a", ["quota": ["router": 3, "network": -1, "check_limit": true]])
            #expect(set.status == 200)
            #expect(Self.limits(set)["router"] == 3)
            #expect(Self.limits(set)["network"] == -1)
            #expect(Self.limits(set)["subnet"] == 100)
            #expect(Self.limits(try await c.call(.get, "/v2.0/quotas/project-a", as: Self.tenant))["router"] == 3)
            #expect(Self.limits(try await c.call(.get, "/v2.0/quotas/project-a/default"))["router"] == 10)
            let all = try await c.call(.get, "/v2.0/quotas").object["quotas"] as? [[String: Any]] ?? []
            #expect(all.count == 1)
            #expect(all.first?["project_id"] as? String == "project-a")
            #expect(all.first?["tenant_id"] as? String == "project-a")
            #expect(all.first?["router"] as? Int == 3)
            #expect(all.first?["port"] as? Int == 500)
            let reset = try await c.call(.delete, "/v2.0/quotas/project-a")
            #expect(reset.status == 204)
            #expect(Self.limits(try await c.call(.get, "/v2.0/quotas/project-a"))["router"] == 10)
            #expect((try await c.call(.get, "/v2.0/quotas").object["quotas"] as? [Any])?.isEmpty == true)
            let post = try await c.call(.post, "/v2.0/quotas", ["quota": ["router": 1]])
            #expect(post.status == 501)
            #expect(post.errorType == "HTTPNotImplemented")
        }
    }

    @Test(arguments: [
        (#"{"quota": {"router": -2}}"#, "HTTPBadRequest", "Invalid input for router. Reason: '-2' is too small - must be at least '-1'"),
        (#"{"quota": {"router": 2147483648}}"#, "HTTPBadRequest", "Invalid input for router. Reason: '2147483648' is too large - must be no larger than '2147483647'"),
        (#"{"quota": {"router": "ten"}}"#, "InvalidInput", "Invalid input for operation: 'ten' is not an integer."),
        (#"{"quota": {"router": null}}"#, "InvalidInput", "Invalid input for operation: 'None' is not an integer."),
        (#"{"quota": {"floatingip": 5}}"#, "HTTPBadRequest", "Unrecognized attribute(s) 'floatingip'"),
        (#"{"quotas": {"router": 5}}"#, "HTTPBadRequest", "Unable to find 'quota' in request body"),
        (#"{"quota": 5}"#, "HTTPBadRequest", "Invalid format: 5"),
        (#"{"quota": "#, "MalformedRequestBody", "Malformed request body: Cannot understand JSON."),
    ])
    func invalidUpdatesAre400(body: String, type: String, message: String) async throws {
        try await TestAPI.test { c in
            let reply = try await c.call(.put, "/v2.0/quotas/project-a", body)
            #expect(reply.status == 400)
            #expect(reply.errorType == type)
            #expect(reply.errorMessage == message)
            #expect((try await c.call(.get, "/v2.0/quotas").object["quotas"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func stringLimitsAreAcceptedAsNeutronConvertsThem() async throws {
        try await TestAPI.test { c in
            let reply = try await c.call(.put, "/v2.0/quotas/project-a", ["quota": ["subnet": "7"]])
            #expect(reply.status == 200)
            #expect(Self.limits(reply)["subnet"] == 7)
        }
    }

    @Test func overQuotaIs409AndCreatesNothing() async throws {
        try await TestAPI.test { c in
            #expect(try await c.call(.put, "/v2.0/quotas/project-a", ["quota": ["router": 2]]).status == 200)
            for name in ["r1", "r2"] {
                #expect(try await c.call(.post, "/v2.0/routers", ["router": ["name": name]], as: Self.tenant).status == 201)
            }
            let over = try await c.call(.post, "/v2.0/routers", ["router": ["name": "r3"]], as: Self.tenant)
            #expect(over.status == 409)
            #expect(over.errorType == "OverQuota")
            #expect(over.errorMessage == "Quota exceeded for resources: ['router'].")
            // Admins creating for the project count against it too; other projects are unaffected.
            #expect(try await c.call(.post, "/v2.0/routers", ["router": ["name": "r3", "project_id": "project-a"]]).status == 409)
            #expect(try await c.call(.post, "/v2.0/routers", ["router": ["name": "b1"]], as: Self.other).status == 201)
            let mine = try await c.call(.get, "/v2.0/routers", as: Self.tenant).object["routers"] as? [Any]
            #expect(mine?.count == 2)
            let details = try await c.call(.get, "/v2.0/quotas/project-a/details", as: Self.tenant)
            let router = details.resource("quota")["router"] as? [String: Any]
            #expect(router?["limit"] as? Int == 2)
            #expect(router?["used"] as? Int == 2)
            #expect(router?["reserved"] as? Int == 0)
            #expect((details.resource("quota")["network"] as? [String: Any])?["used"] as? Int == 0)
            // -1 is unlimited.
            #expect(try await c.call(.put, "/v2.0/quotas/project-a", ["quota": ["router": -1]]).status == 200)
            #expect(try await c.call(.post, "/v2.0/routers", ["router": ["name": "r3"]], as: Self.tenant).status == 201)
        }
    }

    @Test func limitBelowUsageNeedsForce() async throws {
        try await TestAPI.test { c in
            for name in ["n1", "n2"] {
                #expect(try await c.call(.post, "/v2.0/networks", ["network": ["name": name]], as: Self.tenant).status == 201)
            }
            let refused = try await c.call(.put, "/v2.0/quotas/project-a", ["quota": ["network": 1, "check_limit": true]])
            #expect(refused.status == 400)
            #expect(refused.errorMessage == "Quota limit 1 for network must be greater than or equal to already used 2")
            #expect(Self.limits(try await c.call(.get, "/v2.0/quotas/project-a"))["network"] == 100)
            let forced = try await c.call(.put, "/v2.0/quotas/project-a", ["quota": ["network": 1, "force": true]])
            #expect(forced.status == 200)
            #expect(Self.limits(forced)["network"] == 1)
            let over = try await c.call(.post, "/v2.0/networks", ["network": ["name": "n3"]], as: Self.tenant)
            #expect(over.errorMessage == "Quota exceeded for resources: ['network'].")
        }
    }

    @Test func vpnResourcesHaveQuotas() async throws {
        try await TestAPI.test { c in
            let w = try await Walkthrough.run(c, as: Self.tenant)
            let quota = ["ikepolicy": 1, "ipsecpolicy": 1, "vpnservice": 1, "endpoint_group": 2, "ipsec_site_connection": 1]
            #expect(try await c.call(.put, "/v2.0/quotas/project-a", ["quota": quota]).status == 200)
            let attempts: [(String, String, [String: Any])] = [
                ("/v2.0/vpn/ikepolicies", "ikepolicy", ["name": "x"]),
                ("/v2.0/vpn/ipsecpolicies", "ipsecpolicy", ["name": "x"]),
                ("/v2.0/vpn/vpnservices", "vpnservice", ["router_id": w["router"]]),
                ("/v2.0/vpn/endpoint-groups", "endpoint_group", ["type": "cidr", "endpoints": ["10.9.0.0/24"]]),
                ("/v2.0/vpn/ipsec-site-connections", "ipsec_site_connection", w.connectionBody(["peer_id": "other"])),
            ]
            for (path, key, body) in attempts {
                let reply = try await c.call(.post, path, [key: body], as: Self.tenant)
                #expect(reply.status == 409, "\(path)")
                #expect(reply.errorMessage == "Quota exceeded for resources: ['\(key)'].")
            }
            let details = try await c.call(.get, "/v2.0/quotas/project-a/details", as: Self.tenant).resource("quota")
            #expect((details["ipsec_site_connection"] as? [String: Any])?["used"] as? Int == 1)
            #expect((details["port"] as? [String: Any])?["used"] as? Int == 1)  // the router interface
        }
    }
}
