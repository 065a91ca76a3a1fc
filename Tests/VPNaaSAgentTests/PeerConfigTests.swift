import Testing
import VPNaaSDomain

@testable import VPNaaSAgent
@testable import VPNaaSPlan

/// The remote side's files mirror the plan the agent realises (swanctl is also proven by an e2e with a
/// plain strongSwan peer: scripts/e2e_insight.py).
@Suite("Peer config")
struct PeerConfigTests {
    func config(includePSK: Bool = true, _ mutate: (inout DesiredState) -> Void = { _ in }) -> PeerConfig {
        var state = Fixture.twoSites(psk: "p\"s\\k")
        mutate(&state)
        let plan = HostPlan.build(state, layout: Fixture.layout).routers[0].vpn!.connections[0]
        return PeerConfig(plan: plan, ike: state.ikePolicies[0], ipsec: state.ipsecPolicies[0], includePSK: includePSK)
    }

    @Test func swanctlIsMirrored() throws {
        let text = try #require(config().render(device: "strongswan-swanctl"))
        // The left router is 2001:db8::2 with subnet …33bc::/64; its peer is 2001:db8::3 with …33bd::/64.
        #expect(text.contains("local_addrs = 2001:db8::3\n"))
        #expect(text.contains("remote_addrs = 2001:db8::2\n"))
        #expect(text.contains("local_ts = 2001:db8:1:33bd::/64\n"))
        #expect(text.contains("remote_ts = 2001:db8:1:33bc::/64\n"))
        #expect(text.contains("proposals = aes256-sha256-modp2048\n"))
        #expect(text.contains("esp_proposals = aes256-sha256-modp2048\n"))
        #expect(text.contains("version = 2\n"))
        #expect(text.contains("secret = \"p\\\"s\\\\k\"\n"))
        #expect(text.contains("id-1 = \"2001:db8::3\""))
    }

    @Test func thePSKOnlyForWriters() throws {
        let text = try #require(config(includePSK: false).render(device: "strongswan-swanctl"))
        #expect(!text.contains("p\"s"))
        #expect(text.contains("hidden"))
        let generic = try #require(config(includePSK: false).render(device: "generic"))
        #expect(!generic.contains("p\"s"))
    }

    @Test func libreswanAndGeneric() throws {
        let lib = try #require(config().render(device: "libreswan"))
        #expect(lib.contains("ike=aes256-sha2_256;modp2048"))
        #expect(lib.contains("esp=aes256-sha2_256;modp2048"))
        #expect(lib.contains("left=2001:db8::3"))
        #expect(lib.contains("rightsubnets={2001:db8:1:33bc::/64}"))
        #expect(lib.contains("ikev2=insist"))
        let generic = try #require(config().render(device: "generic"))
        #expect(generic.contains("IKE lifetime"))
        #expect(generic.contains("3600 seconds"))
        #expect(config().render(device: "cisco") == nil)
        #expect(PeerConfig.devices.map(\.id) == ["strongswan-swanctl", "libreswan", "generic"])
    }

    @Test(arguments: [
        (EncryptionAlgorithm.aes128, "aes128"), (.aes256CTR, "aes_ctr256"), (.aes256GCM16, "aes_gcm16_256"),
        (.aes128CCM8, "aes_ccm8_128"), (.tripleDES, "3des"),
    ])
    func libreswanCiphers(_ e: EncryptionAlgorithm, _ name: String) {
        #expect(PeerConfig.libreswanCipher(e) == name)
    }

    @Test func legacyProposals() {
        let p = IKEPolicy(id: "i", projectID: "p", authAlgorithm: .sha1, encryptionAlgorithm: .tripleDES, pfs: .group2)
        #expect(StrongSwanProposals.ike(p) == "3des-sha1-modp1024")
    }
}
