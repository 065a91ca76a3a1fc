import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Status, events and peer config through the real router (no agent: nothing observed yet).
struct InsightAPITests {
    @Test func statusEventsAndPeerConfigShapes() async throws {
        try await TestAPI.test { c in
            let tenant = Caller(project: "project-a")
            let w = try await Walkthrough.run(c, as: tenant)
            let base = "/v2.0/vpn/ipsec-site-connections/\(w["conn"])"
            let status = try await c.call(.get, "\(base)/status", as: tenant).resource("ipsec_site_connection_status")
            #expect(status["failure_reason"] is NSNull)
            let events = try await c.call(.get, "\(base)/events", as: tenant)
            #expect(events.status == 200)
            #expect((events.object["ipsec_site_connection_events"] as? [Any])?.isEmpty == true)
            #expect((events.object["ipsec_site_connection_events_links"] as? [Any])?.isEmpty == true)
            #expect(try await c.call(.get, "\(base)/events", as: Caller(project: "project-b")).errorType == "IPsecSiteConnectionNotFound")
            #expect(try await c.call(.get, "\(base)/events?limit=x", as: tenant).status == 400)
            #expect(try await c.call(.get, "\(base)/events?type=up", as: tenant).status == 400)
            #expect(try await c.call(.get, "\(base)/events?marker=nope", as: tenant).status == 400)

            let devices = try await c.call(.get, "/v2.0/vpn/peer-config-devices", as: tenant)
            #expect((devices.object["peer_config_devices"] as? [[String: Any]])?.map { $0["id"] as? String } == ["strongswan-swanctl", "libreswan", "generic"])
            #expect(try await c.call(.get, "\(base)/peer-config", as: tenant).status == 400)
            let unknown = try await c.call(.get, "\(base)/peer-config?device=cisco", as: tenant)
            #expect(unknown.status == 404)
            #expect(unknown.errorType == "PeerConfigDeviceNotFound")
            #expect(try await c.call(.get, "\(base)/peer-config?device=generic", as: Caller(project: "project-b")).status == 404)
            let text = try await c.execute(
                uri: "\(base)/peer-config?device=strongswan-swanctl", method: .get,
                headers: [.init("X-Project-Id")!: "project-a", .init("X-Roles")!: "member"]
            ) { response in
                #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
                return String(buffer: response.body)
            }
            #expect(text.contains("secret = \"secret\""))
            #expect(text.contains("remote_ts = \(Walkthrough.privateCIDR)"))
        }
    }
}
