import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The VPN API through the real router and an in-memory SQLite store.
struct VPNRoutesTests {
    static let connectionKeys: Set<String> = [
        "id", "project_id", "name", "description", "peer_address", "peer_id", "local_id", "route_mode", "mtu", "auth_mode",
        "psk", "initiator", "dpd", "admin_state_up", "status", "vpnservice_id", "ikepolicy_id", "ipsecpolicy_id",
        "peer_cidrs", "local_ep_group_id", "peer_ep_group_id", "tenant_id",
    ]

    @Test func walkthroughCreatesEverythingWithNeutronKeys() async throws {
        try await TestAPI.test { c in
            let w = try await Walkthrough.run(c)
            let conn = try await c.call(.get, "/v2.0/vpn/ipsec-site-connections/\(w["conn"])")
            #expect(conn.status == 200)
            #expect(Set(conn.resource("ipsec_site_connection").keys) == Self.connectionKeys)
            #expect(conn.resource("ipsec_site_connection")["psk"] as? String == "secret")
            #expect(conn.resource("ipsec_site_connection")["status"] as? String == "PENDING_CREATE")
            let vpn = try await c.call(.get, "/v2.0/vpn/vpnservices/\(w["vpn"])").resource("vpnservice")
            #expect(
                Set(vpn.keys) == [
                    "id", "name", "description", "project_id", "subnet_id", "router_id", "flavor_id", "admin_state_up",
                    "external_v4_ip", "external_v6_ip", "status", "tenant_id",
                ])
            #expect((vpn["external_v4_ip"] as? String)?.hasPrefix("192.0.2.") == true)
            #expect((vpn["external_v6_ip"] as? String)?.hasPrefix("2001:db8:0:1:") == true)
            let ike = try await c.call(.get, "/v2.0/vpn/ikepolicies/\(w["ike"])").resource("ikepolicy")
            #expect((ike["lifetime"] as? [String: Any])?["value"] as? Int == 3600)
            let ipsec = try await c.call(.get, "/v2.0/vpn/ipsecpolicies/\(w["ipsec"])").resource("ipsecpolicy")
            #expect(ipsec["auth_algorithm"] as? String == "sha256")
            #expect(ipsec["encryption_algorithm"] as? String == "aes-128")
            let filtered = try await c.call(.get, "/v2.0/vpn/ikepolicies?name=ikepolicy&fields=id&fields=pfs")
            #expect((filtered.object["ikepolicies"] as? [[String: Any]])?.first.map { Set($0.keys) } == ["id", "pfs"])
            #expect(try await c.call(.get, "/v2.0/vpn/ipsec-site-connections?colour=blue").status == 400)
            let resources = try await c.call(.get, "/v2.0").object["resources"] as? [[String: Any]] ?? []
            #expect(resources.contains { $0["collection"] as? String == "vpn/ipsec-site-connections" })
            let aliases = (try await c.call(.get, "/v2.0/extensions").object["extensions"] as? [[String: Any]] ?? [])
                .compactMap { $0["alias"] as? String }
            for alias in ["vpnaas", "vpn-endpoint-groups", "vpn-aes-ctr", "vpn-aes-ccm-gcm", "vpn-no-sha1-3des"] {
                #expect(aliases.contains(alias))
            }
        }
    }

    @Test func deviationsAndCLIShapes() async throws {
        try await TestAPI.test { c in
            let w = try await Walkthrough.run(c)
            // sha1 / 3des refused cleanly; defaults are sha256 / aes-128.
            let sha1 = try await c.call(.post, "/v2.0/vpn/ikepolicies", ["ikepolicy": ["auth_algorithm": "sha1"]])
            #expect(sha1.status == 400)
            #expect(sha1.errorMessage == "Invalid input for auth_algorithm. Reason: sha1 is not in valid_values.")
            #expect(try await c.call(.post, "/v2.0/vpn/ipsecpolicies", ["ipsecpolicy": ["encryption_algorithm": "3des"]]).status == 400)
            let defaults = try await c.call(.post, "/v2.0/vpn/ikepolicies", ["ikepolicy": ["name": "defaults"]])
            #expect(defaults.status == 201)
            #expect(defaults.resource("ikepolicy")["auth_algorithm"] as? String == "sha256")
            // Unknown vpnservice → 404, flavor → 404 FlavorNotFound.
            var body = w.connectionBody(["vpnservice_id": "0c3e2f0d-0b55-4e32-a1c2-9b5f4fa463c4"])
            let unknown = try await c.call(.post, "/v2.0/vpn/ipsec-site-connections", ["ipsec_site_connection": body])
            #expect(unknown.status == 404)
            #expect(unknown.errorType == "VPNServiceNotFound")
            let flavor = try await c.call(
                .post, "/v2.0/vpn/vpnservices",
                ["vpnservice": ["router_id": w["router"], "flavor_id": "0c3e2f0d-0b55-4e32-a1c2-9b5f4fa463c4"]])
            #expect(flavor.status == 404)
            #expect(flavor.errorType == "FlavorNotFound")
            #expect(flavor.errorMessage == "Flavor 0c3e2f0d-0b55-4e32-a1c2-9b5f4fa463c4 could not be found.")
            // Several services on one router are fine.
            #expect(try await c.call(.post, "/v2.0/vpn/vpnservices", ["vpnservice": ["router_id": w["router"]]]).status == 201)
            // mtu as the CLI sends it (a JSON string).
            body = w.connectionBody(["mtu": "1400", "name": "second"])
            let second = try await c.call(.post, "/v2.0/vpn/ipsec-site-connections", ["ipsec_site_connection": body])
            #expect(second.status == 201)
            #expect(second.resource("ipsec_site_connection")["mtu"] as? Int == 1400)
            // Peer CIDRs overlapping the local subnet.
            let overlapping = try await c.call(
                .post, "/v2.0/vpn/endpoint-groups",
                ["endpoint_group": ["type": "cidr", "endpoints": ["2001:db8:1::/48"]]]
            ).id("endpoint_group")
            let overlap = try await c.call(
                .post, "/v2.0/vpn/ipsec-site-connections",
                ["ipsec_site_connection": w.connectionBody(["peer_ep_group_id": overlapping])])
            #expect(overlap.status == 400)
            #expect(overlap.errorType == "PeerCidrsOverlapLocalSubnets")
            // Empty PSK.
            let empty = try await c.call(.post, "/v2.0/vpn/ipsec-site-connections", ["ipsec_site_connection": w.connectionBody(psk: "")])
            #expect(empty.status == 400)
            // Pending objects can't be updated.
            let pending = try await c.call(.put, "/v2.0/vpn/ipsec-site-connections/\(w["conn"])", ["ipsec_site_connection": ["mtu": 1400]])
            #expect(pending.errorType == "VPNStateInvalidToUpdate")
        }
    }

    @Test func legacyModeAcceptsBareStringPeerCIDRs() async throws {
        try await TestAPI.test { c in
            let w = try await Walkthrough.run(c)
            let legacy = try await c.call(
                .post, "/v2.0/vpn/vpnservices", ["vpnservice": ["router_id": w["router"], "subnet_id": w["subnet"]]])
            #expect(legacy.status == 201)
            let body: [String: Any] = [
                "vpnservice_id": legacy.id("vpnservice"), "ikepolicy_id": w["ike"], "ipsecpolicy_id": w["ipsec"],
                "peer_address": "2001:db8::4:703", "peer_id": "peer", "psk": "x", "peer_cidrs": "2001:db8:1:33bd::/64",
            ]
            let created = try await c.call(.post, "/v2.0/vpn/ipsec-site-connections", ["ipsec_site_connection": body])
            #expect(created.status == 201)
            #expect(created.resource("ipsec_site_connection")["peer_cidrs"] as? [String] == ["2001:db8:1:33bd::/64"])
            // G2 (legacy): the service's subnet can't leave the router.
            let remove = try await c.call(.put, "/v2.0/routers/\(w["router"])/remove_router_interface", ["subnet_id": w["subnet"]])
            #expect(remove.status == 409)
        }
    }

    @Test func guardsOnRoutersAndSubnets() async throws {
        try await TestAPI.test { c in
            let w = try await Walkthrough.run(c)
            let gw = try await c.call(.put, "/v2.0/routers/\(w["router"])", ["router": ["external_gateway_info": [String: Any]()]])
            #expect(gw.status == 409)
            #expect(gw.errorType == "RouterInUse")
            #expect(gw.errorMessage == "Router \(w["router"]) is currently used by VPN services (\(w["vpn"]))")
            let iface = try await c.call(.put, "/v2.0/routers/\(w["router"])/remove_router_interface", ["subnet_id": w["subnet"]])
            #expect(iface.status == 409)
            #expect(iface.errorType == "SubnetInUseByIPsecSiteConnection")
            let subnet = try await c.call(.delete, "/v2.0/subnets/\(w["subnet"])")
            #expect(subnet.status == 409)
            #expect(subnet.errorType == "SubnetInUse")
            #expect(subnet.errorMessage?.contains("is used by endpoint group \(w["local"])") == true)
            // In-use rules.
            #expect(try await c.call(.put, "/v2.0/vpn/ikepolicies/\(w["ike"])", ["ikepolicy": ["name": "x"]]).status == 409)
            #expect(try await c.call(.delete, "/v2.0/vpn/ipsecpolicies/\(w["ipsec"])").status == 409)
            #expect(try await c.call(.delete, "/v2.0/vpn/vpnservices/\(w["vpn"])").status == 409)
            #expect(try await c.call(.delete, "/v2.0/vpn/endpoint-groups/\(w["local"])").status == 400)
            // Release everything in order; then the router can go, after its service.
            #expect(try await c.call(.delete, "/v2.0/vpn/ipsec-site-connections/\(w["conn"])").status == 204)
            #expect(try await c.call(.put, "/v2.0/vpn/ikepolicies/\(w["ike"])", ["ikepolicy": ["lifetime": ["value": 7200]]]).status == 200)
            #expect(try await c.call(.put, "/v2.0/routers/\(w["router"])/remove_router_interface", ["subnet_id": w["subnet"]]).status == 200)
            let routerDelete = try await c.call(.delete, "/v2.0/routers/\(w["router"])")
            #expect(routerDelete.status == 409)
            #expect(routerDelete.errorMessage == "Router \(w["router"]) is currently used by VPN service (\(w["vpn"]))")
            #expect(try await c.call(.delete, "/v2.0/vpn/vpnservices/\(w["vpn"])").status == 204)
            #expect(try await c.call(.delete, "/v2.0/routers/\(w["router"])").status == 204)
            #expect(try await c.call(.delete, "/v2.0/vpn/endpoint-groups/\(w["local"])").status == 204)
            #expect(try await c.call(.delete, "/v2.0/subnets/\(w["subnet"])").status == 204)
            #expect(try await c.call(.delete, "/v2.0/vpn/ikepolicies/\(w["ike"])").status == 204)
            #expect(try await c.call(.delete, "/v2.0/vpn/ikepolicies/\(w["ike"])").errorType == "IKEPolicyNotFound")
        }
    }

    @Test func projectsAreIsolatedAndReadersCannotWrite() async throws {
        try await TestAPI.test { c in
            let alice = Caller(project: "alice")
            let bob = Caller(project: "bob")
            let w = try await Walkthrough.run(c, as: alice)
            #expect(!w["conn"].isEmpty)
            let mine = try await c.call(.get, "/v2.0/vpn/ipsec-site-connections/\(w["conn"])", as: alice)
            #expect(mine.status == 200)
            #expect(mine.resource("ipsec_site_connection")["project_id"] as? String == "alice")
            // Another project's objects do not exist for bob.
            let theirs = try await c.call(.get, "/v2.0/vpn/ipsec-site-connections/\(w["conn"])", as: bob)
            #expect(theirs.status == 404)
            #expect(theirs.errorType == "IPsecSiteConnectionNotFound")
            #expect(try await c.call(.delete, "/v2.0/vpn/ikepolicies/\(w["ike"])", as: bob).status == 404)
            let list = try await c.call(.get, "/v2.0/vpn/vpnservices", as: bob)
            #expect((list.object["vpnservices"] as? [Any])?.isEmpty == true)
            // Bob can't use alice's router or policies either.
            let service = try await c.call(.post, "/v2.0/vpn/vpnservices", ["vpnservice": ["router_id": w["router"]]], as: bob)
            #expect(service.errorType == "RouterNotFound")
            // Readers can't write; members can't create for other projects; admins can.
            let reader = Caller(project: "alice", roles: "reader")
            let denied = try await c.call(.post, "/v2.0/vpn/ikepolicies", ["ikepolicy": ["name": "r"]], as: reader)
            #expect(denied.status == 403)
            #expect(denied.errorType == "PolicyNotAuthorized")
            #expect(try await c.call(.get, "/v2.0/vpn/ikepolicies/\(w["ike"])", as: reader).status == 200)
            #expect(try await c.call(.post, "/v2.0/vpn/ikepolicies", ["ikepolicy": ["project_id": "carol"]], as: bob).status == 403)
            let forCarol = try await c.call(.post, "/v2.0/vpn/ikepolicies", ["ikepolicy": ["tenant_id": "carol"]])
            #expect(forCarol.status == 201)
            #expect(forCarol.resource("ikepolicy")["project_id"] as? String == "carol")
        }
    }

    @Test(arguments: [
        ("vpn/ikepolicies", #"{"ikepolicy": {"lifetime": {"units": "kilobytes", "value": 3600}}}"#, "HTTPBadRequest"),
        ("vpn/ikepolicies", #"{"ikepolicy": {"lifetime": {"value": 59}}}"#, "HTTPBadRequest"),
        ("vpn/ikepolicies", #"{"ikepolicy": {"lifetime": {"colour": 1}}}"#, "HTTPBadRequest"),
        ("vpn/ikepolicies", #"{"ikepolicy": {"colour": "blue"}}"#, "HTTPBadRequest"),
        ("vpn/ikepolicies", #"{"ikepolicy": {"id": "x"}}"#, "HTTPBadRequest"),
        ("vpn/ikepolicies", #"{"ike_policy": {}}"#, "HTTPBadRequest"),
        ("vpn/ikepolicies", #"{"ikepolicy": {"name": "#, "MalformedRequestBody"),
        ("vpn/ipsecpolicies", #"{"ipsecpolicy": {"pfs": "group1"}}"#, "HTTPBadRequest"),
        ("vpn/vpnservices", #"{"vpnservice": {"name": "x"}}"#, "HTTPBadRequest"),
        ("vpn/vpnservices", #"{"vpnservice": {"router_id": "3f0a1d7c-4f0e-4b8e-9d5e-1b2c3d4e5f60"}}"#, "RouterNotFound"),
        ("vpn/endpoint-groups", #"{"endpoint_group": {"type": "foo", "endpoints": ["10.0.0.0/8"]}}"#, "HTTPBadRequest"),
        ("vpn/endpoint-groups", #"{"endpoint_group": {"type": "cidr", "endpoints": []}}"#, "MissingEndpointForEndpointGroup"),
        ("vpn/endpoint-groups", #"{"endpoint_group": {"type": "subnet", "endpoints": ["nope"]}}"#, "InvalidEndpointInEndpointGroup"),
        ("vpn/ipsec-site-connections", #"{"ipsec_site_connection": {"psk": "x"}}"#, "HTTPBadRequest"),
    ])
    func requestShapeErrors(_ path: String, _ body: String, _ type: String) async throws {
        try await TestAPI.test { c in
            let reply = try await c.call(.post, "/v2.0/" + path, body)
            #expect(reply.status == (type == "RouterNotFound" ? 404 : 400))
            #expect(reply.errorType == type)
        }
    }
}

extension VPNRoutesTests {
    @Test func pskErrorsDoNotEchoTheSecret() async throws {
        try await TestAPI.test { c in
            let w = try await Walkthrough.run(c)
            let long = String(repeating: "S3cr3t", count: 60)
            let reply = try await c.call(.post, "/v2.0/vpn/ipsec-site-connections", ["ipsec_site_connection": w.connectionBody(psk: long)])
            #expect(reply.status == 400)
            #expect(reply.errorMessage?.contains("S3cr3t") == false)
        }
    }
}
