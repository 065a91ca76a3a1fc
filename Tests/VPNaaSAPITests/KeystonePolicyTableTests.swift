import HTTPTypes
import Testing
import VPNaaSWire

/// Neutron's default policy as a table over every collection, with real tokens: for an object owned by
/// project "left", who may read and delete it.
@Suite struct KeystonePolicyTableTests {
    struct Row: Sendable, CustomStringConvertible {
        var path: String
        var key: String
        var description: String { path }
    }

    @Test func everyCollectionIsolatesProjectsAndHonoursRoles() async throws {
        try await withKeystoneApp { api in
            let adminToken = try await KeystoneAPITests.login(api, "admin", testAdminPassword, project: "admin")
            let admin = KeystoneAPITests.auth(adminToken)
            try await KeystoneAPITests.tenant(api, admin: adminToken, "left")
            try await KeystoneAPITests.tenant(api, admin: adminToken, "right")
            try await KeystoneAPITests.tenant(api, admin: adminToken, "left", role: "reader", user: "left-reader")
            let left = KeystoneAPITests.auth(try await KeystoneAPITests.login(api, "left", "pw-left", project: "left"))
            let right = KeystoneAPITests.auth(try await KeystoneAPITests.login(api, "right", "pw-right", project: "right"))
            let reader = KeystoneAPITests.auth(try await KeystoneAPITests.login(api, "left-reader", "pw-left-reader", project: "left"))

            let t = try await Topology.build(api, tenant: left, admin: admin)
            let ike = try await api.create("/v2.0/vpn/ikepolicies", "ikepolicy", ["name": .string("ike")], headers: left)
            let ipsec = try await api.create("/v2.0/vpn/ipsecpolicies", "ipsecpolicy", ["name": .string("ipsec")], headers: left)
            let service = try await api.create("/v2.0/vpn/vpnservices", "vpnservice", ["router_id": .string(t.router)], headers: left)
            let local = try await api.create(
                "/v2.0/vpn/endpoint-groups", "endpoint_group",
                ["type": .string("subnet"), "endpoints": .array([.string(t.privateSubnet)])], headers: left)
            let peer = try await api.create(
                "/v2.0/vpn/endpoint-groups", "endpoint_group",
                ["type": .string("cidr"), "endpoints": .array([.string("2001:db8:1:33bd::/64")])], headers: left)
            let connection = try await api.create(
                "/v2.0/vpn/ipsec-site-connections", "ipsec_site_connection",
                [
                    "vpnservice_id": .string(service), "ikepolicy_id": .string(ike), "ipsecpolicy_id": .string(ipsec),
                    "local_ep_group_id": .string(local), "peer_ep_group_id": .string(peer),
                    "peer_address": .string("2001:db8::4:703"), "peer_id": .string("2001:db8::4:703"), "psk": .string("k"),
                ], headers: left)

            let table: [(String, String, String)] = [
                ("networks", "network", t.privateNet), ("subnets", "subnet", t.privateSubnet), ("routers", "router", t.router),
                ("vpn/ikepolicies", "ikepolicy", ike), ("vpn/ipsecpolicies", "ipsecpolicy", ipsec),
                ("vpn/vpnservices", "vpnservice", service), ("vpn/endpoint-groups", "endpoint_group", peer),
                ("vpn/ipsec-site-connections", "ipsec_site_connection", connection),
            ]
            for (path, key, id) in table {
                let url = "/v2.0/\(path)/\(id)"
                #expect(try await api.send(.get, url, headers: left).status == 200, "left reads own \(key)")
                #expect(try await api.send(.get, url, headers: reader).status == 200, "reader reads \(key)")
                #expect(try await api.send(.get, url, headers: admin).status == 200, "admin reads \(key)")
                #expect(try await api.send(.get, url, headers: right).status == 404, "right cannot see \(key)")
                #expect(try await api.send(.get, url).status == 401, "anonymous \(key)")
                let rightList = try await api.send(.get, "/v2.0/\(path)", headers: right)
                let ids = rightList[key == "ipsec_site_connection" ? "ipsec_site_connections" : pluralKey(key)]
                if case .array(let items)? = ids {
                    #expect(!items.contains { $0["id"]?.stringValue == id }, "right's list hides \(key)")
                } else {
                    Issue.record("no list for \(path)")
                }
                #expect(try await api.send(.put, url, .object([key: .object(["name": .string("x")])]), headers: right).status == 404, "right cannot update \(key)")
                #expect(try await api.send(.put, url, .object([key: .object(["name": .string("x")])]), headers: reader).status == 403, "reader cannot update \(key)")
                #expect(try await api.send(.delete, url, headers: right).status == 404, "right cannot delete \(key)")
                #expect(try await api.send(.delete, url, headers: reader).status == 403, "reader cannot delete \(key)")
            }
            // The provider network (admin's, external) is visible to every tenant; its subnets are not.
            #expect(try await api.send(.get, "/v2.0/networks/\(t.provider)", headers: right).status == 200)
            #expect(try await api.send(.get, "/v2.0/subnets/\(t.providerV6)", headers: right).status == 404)
            #expect(try await api.send(.delete, "/v2.0/networks/\(t.provider)", headers: left).status == 403)
        }
    }

    func pluralKey(_ key: String) -> String {
        switch key {
        case "ikepolicy": "ikepolicies"
        case "ipsecpolicy": "ipsecpolicies"
        default: key + "s"
        }
    }
}
