import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import VPNaaSAPI
import VPNaaSCore
import VPNaaSDomain
import VPNaaSStore

/// The real router (`buildRouter`) over a private in-memory SQLite store (or PostgreSQL: `withTestStore`).
enum TestAPI {
    /// `app().test(.router)` on the API tests' store.
    static func test<T: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await withTestStore { store in try await app(store: store).test(.router, body) }
    }

    static func app(store: (any Store)? = nil) throws -> some ApplicationProtocol {
        let store = try store ?? SQLiteStore()
        let networking = Networking(
            store: store, now: { Timestamp(secondsSinceEpoch: 1_700_000_000) }, newID: { RandomID.uuid() },
            newMAC: {
                var g = SystemRandomNumberGenerator()
                return MACAddress.random(using: &g)
            })
        return Application(router: buildRouter(networking: networking, configuration: APIConfiguration(database: .sqliteInMemory)))
    }
}

/// One answer: status and parsed JSON body (nil for 204).
struct Reply {
    let status: Int
    let json: Any?

    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var errorType: String? { (object["NeutronError"] as? [String: Any])?["type"] as? String }
    var errorMessage: String? { (object["NeutronError"] as? [String: Any])?["message"] as? String }
    func resource(_ key: String) -> [String: Any] { object[key] as? [String: Any] ?? [:] }
    func id(_ key: String) -> String { resource(key)["id"] as? String ?? "" }
}

/// Who calls: nil = noauth admin; otherwise the X-Project-Id/X-Roles identity.
struct Caller: Sendable {
    var project: String?
    var roles: String = "member"
    static let admin = Caller(project: nil)
}

extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ path: String, _ body: Any? = nil, as caller: Caller = .admin) async throws -> Reply {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let project = caller.project {
            headers[HTTPField.Name("X-Project-Id")!] = project
            headers[HTTPField.Name("X-Roles")!] = caller.roles
        }
        var buffer: ByteBuffer?
        if let raw = body as? String {
            buffer = ByteBuffer(string: raw)
        } else if let body {
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))
        }
        return try await execute(uri: path, method: method, headers: headers, body: buffer) { response in
            let bytes = Data(response.body.readableBytesView)
            let json = bytes.isEmpty ? nil : try? JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed])
            return Reply(status: Int(response.status.code), json: json)
        }
    }
}

/// The fixture walkthrough (01–13) as a reusable setup: provider net with v4+v6 subnets, private v6 subnet,
/// router with gateway and interface, policies, service, endpoint groups, one connection.
struct Walkthrough {
    var ids: [String: String] = [:]
    subscript(_ key: String) -> String { ids[key] ?? "" }

    static let privateCIDR = "2001:db8:1:33bc::/64"

    static func run(_ c: some TestClientProtocol, as caller: Caller = .admin, psk: String = "secret") async throws -> Walkthrough {
        var w = Walkthrough()
        let admin = Caller.admin
        w.ids["provider"] = try await c.call(
            .post, "/v2.0/networks",
            ["network": ["name": "provider", "router:external": true, "provider:network_type": "flat", "provider:physical_network": "public"]],
            as: admin
        ).id("network")
        _ = try await c.call(
            .post, "/v2.0/subnets",
            ["subnet": ["network_id": w["provider"], "ip_version": 4, "cidr": "192.0.2.0/24", "enable_dhcp": false]], as: admin)
        _ = try await c.call(
            .post, "/v2.0/subnets",
            ["subnet": ["network_id": w["provider"], "ip_version": 6, "cidr": "2001:db8:0:1::/64", "enable_dhcp": false]], as: admin)
        w.ids["private"] = try await c.call(.post, "/v2.0/networks", ["network": ["name": "private"]], as: caller).id("network")
        w.ids["subnet"] = try await c.call(
            .post, "/v2.0/subnets",
            ["subnet": ["network_id": w["private"], "ip_version": 6, "cidr": privateCIDR, "ipv6_ra_mode": "slaac", "ipv6_address_mode": "slaac"]],
            as: caller
        ).id("subnet")
        w.ids["router"] = try await c.call(
            .post, "/v2.0/routers", ["router": ["name": "router", "external_gateway_info": ["network_id": w["provider"]]]], as: caller
        ).id("router")
        _ = try await c.call(.put, "/v2.0/routers/\(w["router"])/add_router_interface", ["subnet_id": w["subnet"]], as: caller)
        w.ids["ike"] = try await c.call(
            .post, "/v2.0/vpn/ikepolicies",
            ["ikepolicy": ["name": "ikepolicy", "auth_algorithm": "sha256", "encryption_algorithm": "aes-256", "ike_version": "v2", "pfs": "group14"]],
            as: caller
        ).id("ikepolicy")
        w.ids["ipsec"] = try await c.call(
            .post, "/v2.0/vpn/ipsecpolicies", ["ipsecpolicy": ["name": "ipsecpolicy", "pfs": "group14"]], as: caller
        ).id("ipsecpolicy")
        w.ids["vpn"] = try await c.call(
            .post, "/v2.0/vpn/vpnservices", ["vpnservice": ["name": "vpn", "router_id": w["router"]]], as: caller
        ).id("vpnservice")
        w.ids["local"] = try await c.call(
            .post, "/v2.0/vpn/endpoint-groups",
            ["endpoint_group": ["name": "my-locals", "type": "subnet", "endpoints": [w["subnet"]]]], as: caller
        ).id("endpoint_group")
        w.ids["peer"] = try await c.call(
            .post, "/v2.0/vpn/endpoint-groups",
            ["endpoint_group": ["name": "my-peers", "type": "cidr", "endpoints": ["2001:db8:1:33bd::/64"]]], as: caller
        ).id("endpoint_group")
        w.ids["conn"] = try await c.call(
            .post, "/v2.0/vpn/ipsec-site-connections", ["ipsec_site_connection": w.connectionBody(psk: psk)], as: caller
        ).id("ipsec_site_connection")
        return w
    }

    func connectionBody(psk: String = "secret", _ extra: [String: Any] = [:]) -> [String: Any] {
        var body: [String: Any] = [
            "name": "conn", "vpnservice_id": self["vpn"], "ikepolicy_id": self["ike"], "ipsecpolicy_id": self["ipsec"],
            "local_ep_group_id": self["local"], "peer_ep_group_id": self["peer"], "peer_address": "2001:db8::4:703",
            "peer_id": "2001:db8::4:703", "psk": psk,
        ]
        for (k, v) in extra { body[k] = v }
        return body
    }
}
