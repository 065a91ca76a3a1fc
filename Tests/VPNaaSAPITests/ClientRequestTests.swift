import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VPNaaSStore

/// Bodies exactly as real clients build them, and Neutron's answers to them:
/// null converted like neutron-lib's `convert_none_to_empty_list`/`_dict`, PUT answers echoing dict attributes.
/// Sources of the shapes: gophercloud `networking/v2/extensions/layer3/routers.UpdateOpts` (`Routes *[]Route`
/// marshals a nil slice as `null`), `networking/v2/subnets.UpdateOpts` (`DNSNameservers *[]string`,
/// `HostRoutes *[]HostRoute`, `gateway_ip` "" → null), `vpnaas/ikepolicies.CreateOpts` (Terraform's defaults),
/// python-openstackclient `network/v2/router.py` (`--no-route` → `routes: []`) and `vpnaas/utils.py`
/// (`--lifetime units=seconds,value=N` → an int value).
struct ClientRequestTests {
    @Test func gophercloudRouterUpdateWithNullRoutes() async throws {
        try await TestAPI.test { c in
            let w = try await Walkthrough.run(c)
            let path = "/v2.0/routers/\(w["router"])"
            let set = try await c.call(.put, path, ["router": ["name": "renamed", "routes": NSNull()]])
            #expect(set.status == 200)
            #expect(set.resource("router")["routes"] as? [Any] != nil)
            #expect((set.resource("router")["routes"] as? [Any])?.isEmpty == true)
            // python-openstackclient `router set --no-route`.
            #expect(try await c.call(.put, path, ["router": ["routes": [Any]()]]).status == 200)
            // Not a list and not null: still Neutron's 400.
            let bad = try await c.call(.put, path, ["router": ["routes": "x"]])
            #expect(bad.status == 400)
            #expect(bad.errorMessage == "Invalid input for routes. Reason: 'x' is not a list")
        }
    }

    @Test func gophercloudSubnetNullLists() async throws {
        try await TestAPI.test { c in
            let net = try await c.call(.post, "/v2.0/networks", ["network": ["name": "n"]]).id("network")
            let created = try await c.call(
                .post, "/v2.0/subnets",
                ["subnet": ["network_id": net, "ip_version": 4, "cidr": "10.9.0.0/24", "dns_nameservers": NSNull(), "host_routes": NSNull()]])
            #expect(created.status == 201)
            #expect((created.resource("subnet")["dns_nameservers"] as? [Any])?.isEmpty == true)
            let id = created.id("subnet")
            let withDNS = try await c.call(.put, "/v2.0/subnets/\(id)", ["subnet": ["dns_nameservers": ["10.9.0.53"]]])
            #expect((withDNS.resource("subnet")["dns_nameservers"] as? [String]) == ["10.9.0.53"])
            // Terraform clearing dns_nameservers/host_routes: gophercloud sends null for both, and "" → null gateway.
            let cleared = try await c.call(
                .put, "/v2.0/subnets/\(id)",
                ["subnet": ["name": "n", "dns_nameservers": NSNull(), "host_routes": NSNull(), "gateway_ip": NSNull()]])
            #expect(cleared.status == 200)
            #expect((cleared.resource("subnet")["dns_nameservers"] as? [Any])?.isEmpty == true)
            #expect((cleared.resource("subnet")["host_routes"] as? [Any])?.isEmpty == true)
            #expect(cleared.resource("subnet")["gateway_ip"] is NSNull)
            // allocation_pools has no null conversion in neutron-lib: its own message, never a 500.
            let pools = try await c.call(.put, "/v2.0/subnets/\(id)", ["subnet": ["allocation_pools": NSNull()]])
            #expect(pools.status == 400)
            #expect(pools.errorMessage == "Invalid input for allocation_pools. Reason: Invalid data format for IP pool: 'None'")
        }
    }

    @Test func nullDictsOnCreateAndUpdate() async throws {
        let store = try SQLiteStore()
        try await TestAPI.app(store: store).test(.router) { c in
            let w = try await Walkthrough.run(c)
            let ike = try await c.call(.post, "/v2.0/vpn/ikepolicies", ["ikepolicy": ["name": "p", "lifetime": NSNull()]])
            #expect(ike.status == 201)
            #expect((ike.resource("ikepolicy")["lifetime"] as? [String: Any])?["value"] as? Int == 3600)
            let ipsec = try await c.call(.post, "/v2.0/vpn/ipsecpolicies", ["ipsecpolicy": ["name": "p", "lifetime": NSNull()]])
            #expect(ipsec.status == 201)
            let ikeSet = try await c.call(.put, "/v2.0/vpn/ikepolicies/\(ike.id("ikepolicy"))", ["ikepolicy": ["lifetime": NSNull()]])
            #expect(ikeSet.status == 200)
            #expect((ikeSet.resource("ikepolicy")["lifetime"] as? [String: Any])?["value"] as? Int == 3600)

            let conn = try await c.call(
                .post, "/v2.0/vpn/ipsec-site-connections",
                ["ipsec_site_connection": w.connectionBody(["name": "c2", "dpd": NSNull(), "peer_address": "2001:db8::4:704", "peer_id": "2001:db8::4:704"])])
            #expect(conn.status == 201)
            #expect((conn.resource("ipsec_site_connection")["dpd"] as? [String: Any])?["timeout"] as? Int == 120)
            try await VPNUpdateTests.settle(store, service: w["vpn"], connection: conn.id("ipsec_site_connection"))
            let set = try await c.call(
                .put, "/v2.0/vpn/ipsec-site-connections/\(conn.id("ipsec_site_connection"))",
                ["ipsec_site_connection": ["dpd": NSNull(), "description": "x"]])
            #expect(set.status == 200)
            #expect((set.resource("ipsec_site_connection")["dpd"] as? [String: Any])?["interval"] as? Int == 30)
        }
    }

    @Test func updateAnswersEchoDictAttributesAsSent() async throws {
        let store = try SQLiteStore()
        try await TestAPI.app(store: store).test(.router) { c in
            let w = try await Walkthrough.run(c)
            let p = try await c.call(.post, "/v2.0/vpn/ikepolicies", ["ikepolicy": ["name": "echo"]]).id("ikepolicy")
            let path = "/v2.0/vpn/ikepolicies/\(p)"
            let set = try await c.call(.put, path, ["ikepolicy": ["lifetime": ["value": "2000"]]])
            #expect(set.status == 200)
            let lifetime = try #require(set.resource("ikepolicy")["lifetime"] as? [String: Any])
            #expect(lifetime["value"] as? String == "2000")
            #expect(lifetime["units"] as? String == "seconds")
            let shown = try await c.call(.get, path)
            #expect((shown.resource("ikepolicy")["lifetime"] as? [String: Any])?["value"] as? Int == 2000)
            // python-openstackclient converts to an int first: an int comes back.
            let osc = try await c.call(.put, path, ["ikepolicy": ["lifetime": ["units": "seconds", "value": 2400]]])
            #expect((osc.resource("ikepolicy")["lifetime"] as? [String: Any])?["value"] as? Int == 2400)
            // A string that is no integer is still refused.
            #expect(try await c.call(.put, path, ["ikepolicy": ["lifetime": ["value": "soon"]]]).status == 400)

            let ipsec = try await c.call(.post, "/v2.0/vpn/ipsecpolicies", ["ipsecpolicy": ["name": "echo"]]).id("ipsecpolicy")
            let ipsecSet = try await c.call(.put, "/v2.0/vpn/ipsecpolicies/\(ipsec)", ["ipsecpolicy": ["lifetime": ["value": "7200"]]])
            #expect((ipsecSet.resource("ipsecpolicy")["lifetime"] as? [String: Any])?["value"] as? String == "7200")

            try await VPNUpdateTests.settle(store, service: w["vpn"], connection: w["conn"])
            let conn = "/v2.0/vpn/ipsec-site-connections/\(w["conn"])"
            let dpd = try await c.call(.put, conn, ["ipsec_site_connection": ["dpd": ["interval": "20", "timeout": "90"]]])
            #expect(dpd.status == 200)
            let echoed = try #require(dpd.resource("ipsec_site_connection")["dpd"] as? [String: Any])
            #expect(echoed["interval"] as? String == "20")
            #expect(echoed["timeout"] as? String == "90")
            #expect(echoed["action"] as? String == "hold")
            let stored = try await c.call(.get, conn).resource("ipsec_site_connection")["dpd"] as? [String: Any]
            #expect(stored?["interval"] as? Int == 20)
            #expect(stored?["timeout"] as? Int == 90)
        }
    }

    /// What Terraform's `openstack_vpnaas_ike_policy_v2` sends by default (gophercloud `ikepolicies.CreateOpts`):
    /// sha1 is refused with a clear 400 unless the operator allows legacy crypto.
    @Test func terraformDefaultIKEPolicyIsAClear400() async throws {
        try await TestAPI.test { c in
            let body: [String: Any] = [
                "ikepolicy": [
                    "name": "tf", "description": "", "auth_algorithm": "sha1", "encryption_algorithm": "aes-128", "pfs": "group5",
                    "phase1_negotiation_mode": "main", "ike_version": "v1", "lifetime": ["units": "seconds", "value": 3600],
                ]
            ]
            let answer = try await c.call(.post, "/v2.0/vpn/ikepolicies", body)
            #expect(answer.status == 400)
            #expect(answer.errorMessage == "Invalid input for auth_algorithm. Reason: sha1 is not in valid_values.")
        }
    }
}
