import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import VPNaaSAPI
import VPNaaSCore
import VPNaaSDomain
import VPNaaSStore

/// `allow_legacy_crypto`: off, sha1/3des answer the clear 400; on, they are stored, shown, and each
/// acceptance is a warning naming the object.
struct LegacyCryptoTests {
    static func app(allowed: Bool, logs: CapturedLogs = CapturedLogs()) throws -> some ApplicationProtocol {
        let store = try SQLiteStore()
        let logger = Logger(label: "vpnaasd-test", factory: { logs.handler($0) })
        let networking = Networking(
            store: store, now: { Timestamp(secondsSinceEpoch: 1_700_000_000) }, newID: { RandomID.uuid() },
            newMAC: {
                var g = SystemRandomNumberGenerator()
                return MACAddress.random(using: &g)
            })
        var configuration = APIConfiguration(database: .sqliteInMemory)
        configuration.allowLegacyCrypto = allowed
        let vpn = VPN(store: store, newID: { RandomID.uuid() }, legacyCrypto: LegacyCrypto(allowed: allowed, logger: logger))
        return Application(router: buildRouter(networking: networking, vpn: vpn, configuration: configuration))
    }

    @Test func offByDefaultTheClear400Stays() async throws {
        try await Self.app(allowed: false).test(.router) { c in
            let ike = try await c.call(.post, "/v2.0/vpn/ikepolicies", ["ikepolicy": ["encryption_algorithm": "3des"]])
            #expect(ike.status == 400)
            #expect(ike.errorMessage == "Invalid input for encryption_algorithm. Reason: 3des is not in valid_values.")
            let ipsec = try await c.call(.post, "/v2.0/vpn/ipsecpolicies", ["ipsecpolicy": ["auth_algorithm": "sha1"]])
            #expect(ipsec.errorMessage == "Invalid input for auth_algorithm. Reason: sha1 is not in valid_values.")
            let p = try await c.call(.post, "/v2.0/vpn/ikepolicies", ["ikepolicy": ["name": "p"]]).id("ikepolicy")
            #expect(try await c.call(.put, "/v2.0/vpn/ikepolicies/\(p)", ["ikepolicy": ["auth_algorithm": "sha1"]]).status == 400)
            let ext = try await c.call(.get, "/v2.0/extensions/vpn-no-sha1-3des")
            #expect(ext.status == 200)
        }
    }

    @Test func onTheyAreAcceptedWithAWarningNamingTheObject() async throws {
        let logs = CapturedLogs()
        try await Self.app(allowed: true, logs: logs).test(.router) { c in
            // Terraform's default IKE policy (gophercloud ikepolicies.CreateOpts).
            let ike = try await c.call(
                .post, "/v2.0/vpn/ikepolicies",
                ["ikepolicy": ["name": "tf", "auth_algorithm": "sha1", "encryption_algorithm": "3des", "pfs": "group5",
                               "phase1_negotiation_mode": "main", "ike_version": "v1", "lifetime": ["units": "seconds", "value": 3600]]])
            #expect(ike.status == 201)
            #expect(ike.resource("ikepolicy")["auth_algorithm"] as? String == "sha1")
            #expect(ike.resource("ikepolicy")["encryption_algorithm"] as? String == "3des")
            let id = ike.id("ikepolicy")
            #expect(try await c.call(.get, "/v2.0/vpn/ikepolicies/\(id)").resource("ikepolicy")["auth_algorithm"] as? String == "sha1")
            let ipsec = try await c.call(.post, "/v2.0/vpn/ipsecpolicies", ["ipsecpolicy": ["auth_algorithm": "sha1"]])
            #expect(ipsec.status == 201)
            let warnings = logs.lines.withLock { $0 }.filter { $0.hasPrefix("warning legacy crypto accepted") }
            #expect(warnings.contains { $0.contains("ikepolicy.id") && $0.contains(id) && $0.contains("sha1,3des") })
            #expect(warnings.contains { $0.contains("ipsecpolicy.id") && $0.contains(ipsec.id("ipsecpolicy")) })
            #expect(warnings.count == 2)
            // Defaults stay modern, and the alias that says sha1/3des are gone is no longer advertised.
            let plain = try await c.call(.post, "/v2.0/vpn/ikepolicies", ["ikepolicy": ["name": "plain"]])
            #expect(plain.resource("ikepolicy")["auth_algorithm"] as? String == "sha256")
            #expect(try await c.call(.get, "/v2.0/extensions/vpn-no-sha1-3des").status == 404)
        }
    }
}
