import Testing
import VICI
import VPNaaSDomain

@testable import VPNaaSAgent
@testable import VPNaaSPlan

@Suite("strongSwan mapping")
struct StrongSwanMappingTests {
    @Test(arguments: [
        (EncryptionAlgorithm.aes256, AuthAlgorithm.sha256, PFSGroup.group14, "aes256-sha256-modp2048"),
        (.aes128, .sha512, .group19, "aes128-sha512-ecp256"),
        (.aes256GCM16, .sha384, .group20, "aes256gcm16-prfsha384-ecp384"),
        (.aes192CTR, .aesXCBC, .group31, "aes192ctr-aesxcbc-curve25519"),
    ])
    func ikeProposals(enc: EncryptionAlgorithm, auth: AuthAlgorithm, dh: PFSGroup, expected: String) {
        let p = IKEPolicy(id: "i", projectID: "p", authAlgorithm: auth, encryptionAlgorithm: enc, pfs: dh)
        #expect(StrongSwanProposals.ike(p) == expected)
    }

    @Test(arguments: [
        (IPsecPolicy.TransformProtocol.esp, EncryptionAlgorithm.aes256, AuthAlgorithm.sha256, PFSGroup.group14, "aes256-sha256-modp2048"),
        (.esp, .aes256GCM16, .sha256, .group19, "aes256gcm16-ecp256"),
        (.esp, .aes128CCM12, .sha256, .group5, "aes128ccm12-modp1536"),
        (.ah, .aes128, .sha512, .group5, "sha512-modp1536"),
    ])
    func childProposals(proto: IPsecPolicy.TransformProtocol, enc: EncryptionAlgorithm, auth: AuthAlgorithm, dh: PFSGroup, expected: String) {
        let p = IPsecPolicy(id: "x", projectID: "p", transformProtocol: proto, authAlgorithm: auth, encryptionAlgorithm: enc, pfs: dh)
        #expect(StrongSwanProposals.child(p) == expected)
    }

    @Test func everyDHGroupHasAToken() {
        #expect(Set(PFSGroup.allCases.map(StrongSwanProposals.dhGroup)).count == PFSGroup.allCases.count)
    }

    func plan(_ mutate: (inout DesiredState) -> Void = { _ in }) -> ConnectionPlan {
        var state = Fixture.twoSites()
        mutate(&state)
        return HostPlan.build(state, layout: Fixture.layout).routers[0].vpn!.connections[0]
    }

    @Test func loadConnCarriesTheWholeConnection() throws {
        let message = plan().loadConnMessage
        let conn = try #require(message.section("conn-left"))
        #expect(conn.string("version") == "2")
        #expect(conn.strings("local_addrs") == ["2001:db8::2"])
        #expect(conn.strings("remote_addrs") == ["2001:db8::3"])
        #expect(conn.strings("proposals") == ["aes256-sha256-modp2048"])
        #expect(conn.string("rekey_time") == "3600s")
        #expect(conn.string("keyingtries") == "0")
        #expect(conn.string("dpd_delay") == "30s")
        #expect(conn.section("local-1")?.string("id") == "2001:db8::2")
        #expect(conn.section("remote-1")?.string("auth") == "psk")
        let child = try #require(conn.section("children")?.section("conn-left"))
        #expect(child.strings("local_ts") == ["2001:db8:1:33bc::/64"])
        #expect(child.strings("remote_ts") == ["2001:db8:1:33bd::/64"])
        #expect(child.strings("esp_proposals") == ["aes256-sha256-modp2048"])
        #expect(child.string("start_action") == "trap|start")
        // "hold" cannot trap with libipsec 5.9.8: realised as restart with endless keying tries.
        #expect(child.string("dpd_action") == "restart")
        #expect(child.string("mode") == "tunnel")
        #expect(!message.description.contains("secret-psk"), "the PSK goes only into load-shared")
    }

    @Test func responseOnlyTrapsAndNeverStarts() throws {
        let p = plan { $0.connections[0].initiator = .responseOnly }
        #expect(p.loadConnMessage.section("conn-left")?.section("children")?.section("conn-left")?.string("start_action") == "trap")
    }

    @Test(arguments: [
        (IPsecSiteConnection.DPD.Action.hold, "restart"), (.restart, "restart"), (.clear, "clear"), (.restartByPeer, "clear"),
        (.disabled, "none"),
    ])
    func dpdActions(action: IPsecSiteConnection.DPD.Action, expected: String) throws {
        let p = plan { $0.connections[0].dpd.action = action }
        let conn = try #require(p.loadConnMessage.section("conn-left"))
        #expect(conn.section("children")?.section("conn-left")?.string("dpd_action") == expected)
        #expect(conn.string("dpd_delay") == (action == .disabled ? "0" : "30s"))
    }

    @Test func ikeV1CarriesAggressiveMode() throws {
        let p = plan {
            $0.ikePolicies[0].ikeVersion = .v1
            $0.ikePolicies[0].phase1NegotiationMode = .aggressive
        }
        let conn = try #require(p.loadConnMessage.section("conn-left"))
        #expect(conn.string("version") == "1")
        #expect(conn.string("aggressive") == "yes")
    }

    @Test func loadSharedCarriesThePSKForBothIdentities() {
        let shared = plan().loadSharedMessage
        #expect(shared.string("id") == "psk-conn-left")
        #expect(shared.string("type") == "IKE")
        #expect(shared.string("data") == "secret-psk")
        #expect(shared.strings("owners") == ["2001:db8::2", "2001:db8::3"])
    }

    @Test func charonConfigListsLibipsecBeforeNetlinkAndOnlyNeededPlugins() {
        let libipsec = CharonConfig(socketPath: "/run/vpnaas/r.vici", logPath: "/tmp/l", backend: .libipsec)
        let plugins = libipsec.plugins
        #expect(plugins.firstIndex(of: "kernel-libipsec")! < plugins.firstIndex(of: "kernel-netlink")!)
        #expect(!plugins.contains("stroke"))
        #expect(libipsec.rendered.contains("socket = unix:///run/vpnaas/r.vici"))
        #expect(libipsec.rendered.contains("charon-systemd {"))
        #expect(libipsec.rendered.contains("block_threshold = \(CharonConfig.blockThreshold)"), "many connections to one peer come up at once")
        let xfrm = CharonConfig(socketPath: "/s", logPath: "/l", backend: .xfrm)
        #expect(!xfrm.plugins.contains("kernel-libipsec"))
    }

    @Test func fingerprintChangesWithThePSKButNotWithTheName() {
        var a = plan()
        let before = CharonFleet.fingerprint(a)
        a.connection.name = "renamed"
        #expect(CharonFleet.fingerprint(a) == before)
        a.connection.psk = "other"
        #expect(CharonFleet.fingerprint(a) != before)
    }
}
