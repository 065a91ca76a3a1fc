import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VPNaaSDomain
import VPNaaSStore

/// Updates once an agent would have settled the status (flipped in the store here): partial updates
/// are merged with stored values and validated as a whole.
struct VPNUpdateTests {
    static func settle(_ store: SQLiteStore, service: String, connection: String) async throws {
        try await store.write { tx in
            if var s = try await tx.vpnService(service) {
                s.status = .active
                try await tx.update(s)
            }
            if var c = try await tx.ipsecSiteConnection(connection) {
                c.status = .active
                try await tx.update(c)
            }
        }
    }

    @Test func settledConnectionUpdates() async throws {
        let store = try SQLiteStore()
        try await TestAPI.app(store: store).test(.router) { c in
            let w = try await Walkthrough.run(c)
            try await Self.settle(store, service: w["vpn"], connection: w["conn"])
            let path = "/v2.0/vpn/ipsec-site-connections/\(w["conn"])"

            let set = try await c.call(
                .put, path,
                ["ipsec_site_connection": ["description": "d", "mtu": "1400", "initiator": "response-only", "local_id": "L", "admin_state_up": false]])
            #expect(set.status == 200)
            let conn = set.resource("ipsec_site_connection")
            #expect(conn["mtu"] as? Int == 1400)
            #expect(conn["initiator"] as? String == "response-only")
            #expect(conn["admin_state_up"] as? Bool == false)
            #expect(conn["status"] as? String == "ACTIVE")

            // Partial DPD merges with the stored timeout (120): interval 200 is then invalid.
            let dpd = try await c.call(.put, path, ["ipsec_site_connection": ["dpd": ["interval": 200]]])
            #expect(dpd.errorType == "IPsecSiteConnectionDpdIntervalValueError")
            let dpdOK = try await c.call(.put, path, ["ipsec_site_connection": ["dpd": ["action": "restart", "timeout": 300]]])
            #expect((dpdOK.resource("ipsec_site_connection")["dpd"] as? [String: Any])?["timeout"] as? Int == 300)
            #expect((dpdOK.resource("ipsec_site_connection")["dpd"] as? [String: Any])?["interval"] as? Int == 30)

            // Mode mixing on partial updates.
            let cidrs = try await c.call(.put, path, ["ipsec_site_connection": ["peer_cidrs": ["2001:db8:1:33bd::/64"]]])
            #expect(cidrs.errorType == "PeerCidrsInvalid")
            let noLocal = try await c.call(.put, path, ["ipsec_site_connection": ["local_ep_group_id": NSNull()]])
            #expect(noLocal.errorType == "MissingRequiredEndpointGroup")
            let mtu = try await c.call(.put, path, ["ipsec_site_connection": ["mtu": 1279]])
            #expect(mtu.errorType == "IPsecSiteConnectionMtuError")

            // Read-only after create.
            #expect(try await c.call(.put, path, ["ipsec_site_connection": ["vpnservice_id": w["vpn"]]]).status == 400)

            // The PSK can be rotated; the new one is what reads return.
            #expect(try await c.call(.put, path, ["ipsec_site_connection": ["psk": "rotated"]]).status == 200)
            #expect(try await c.call(.get, path).resource("ipsec_site_connection")["psk"] as? String == "rotated")
            #expect(try await c.call(.put, path, ["ipsec_site_connection": ["psk": ""]]).status == 400)
        }
    }

    @Test func settledServiceUpdates() async throws {
        let store = try SQLiteStore()
        try await TestAPI.app(store: store).test(.router) { c in
            let w = try await Walkthrough.run(c)
            try await Self.settle(store, service: w["vpn"], connection: w["conn"])
            let path = "/v2.0/vpn/vpnservices/\(w["vpn"])"
            let set = try await c.call(.put, path, ["vpnservice": ["name": "n", "admin_state_up": false, "description": "d"]])
            #expect(set.status == 200)
            #expect(set.resource("vpnservice")["name"] as? String == "n")
            #expect(set.resource("vpnservice")["admin_state_up"] as? Bool == false)
            let router = try await c.call(.put, path, ["vpnservice": ["router_id": w["router"]]])
            #expect(router.status == 400)
            #expect(router.errorMessage == "Cannot update read-only attribute router_id")
            let group = try await c.call(.put, "/v2.0/vpn/endpoint-groups/\(w["peer"])", ["endpoint_group": ["name": "renamed"]])
            #expect(group.resource("endpoint_group")["name"] as? String == "renamed")
        }
    }
}
