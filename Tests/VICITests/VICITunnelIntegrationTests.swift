import Foundation
import Testing
import VICI

/// Two charons, one IKEv2/PSK tunnel: the up/down events and list-sas shapes the agent relies on.
@Suite(
    .serialized,
    .enabled(if: CharonFixture.shouldRun, "needs root and charon-systemd (CI=true turns a skip into a failure)")
)
struct VICITunnelIntegrationTests {
    static func conn(local: String, remote: String, localTS: String, remoteTS: String) -> VICIMessage {
        [
            "site": [
                "version": 2,
                "local_addrs": .strings([local]),
                "remote_addrs": .strings([remote]),
                "proposals": ["aes256-sha256-modp2048"],
                "local-1": ["auth": "psk", "id": .string(local)],
                "remote-1": ["auth": "psk", "id": .string(remote)],
                "children": [
                    "site": [
                        "mode": "tunnel",
                        "local_ts": .strings([localTS]),
                        "remote_ts": .strings([remoteTS]),
                        "esp_proposals": ["aes256-sha256-modp2048"],
                    ]
                ],
            ]
        ]
    }

    static func load(_ client: VICIClient, local: String, remote: String, localTS: String, remoteTS: String) async throws {
        let secret: VICIMessage = ["id": "psk-site", "type": "IKE", "data": "vici-test-psk-0123456789", "owners": .strings([local, remote])]
        _ = try await client.request("load-shared", secret)
        _ = try await client.request("load-conn", conn(local: local, remote: remote, localTS: localTS, remoteTS: remoteTS))
    }

    @Test func tunnelUpAndDownEvents() async throws {
        try await withCharonPair { _, left, _, right in
            try await Self.load(left, local: "192.0.2.1", remote: "192.0.2.2", localTS: "10.1.0.0/24", remoteTS: "10.2.0.0/24")
            try await Self.load(right, local: "192.0.2.2", remote: "192.0.2.1", localTS: "10.2.0.0/24", remoteTS: "10.1.0.0/24")
            let events = try await left.events(["ike-updown", "child-updown"])

            let logs = try await left.streamedRequest("initiate", event: "control-log", ["child": "site", "timeout": 10000, "loglevel": 1])
            #expect(logs.contains { $0.string("msg")?.contains("CHILD_SA site{") == true && $0.string("msg")?.contains("established") == true })
            #expect(logs.allSatisfy { $0.string("ikesa-name") == nil || $0.string("ikesa-name") == "site" })

            let sas = try await left.streamedRequest("list-sas", event: "list-sa", [:])
            try #require(sas.count == 1)
            let ike = try #require(sas[0].section("site"))
            #expect(ike.string("state") == "ESTABLISHED")
            #expect(ike.string("initiator") == "yes")
            #expect(ike.string("local-host") == "192.0.2.1")
            #expect(ike.string("remote-id") == "192.0.2.2")
            let children = try #require(ike.section("child-sas"))
            try #require(children.count == 1)
            let (childKey, childElement) = children.entries[0]
            let child = try #require(childElement.sectionValue)
            #expect(childKey == "site-\(child.string("uniqueid") ?? "?")")
            #expect(child.string("name") == "site")
            #expect(child.string("state") == "INSTALLED")
            #expect(child.string("mode") == "TUNNEL")
            #expect(child.string("encap") == "yes")
            #expect(child.strings("local-ts") == ["10.1.0.0/24"])
            #expect(child.strings("remote-ts") == ["10.2.0.0/24"])

            let terminated = try await left.streamedRequest("terminate", event: "control-log", ["ike": "site", "timeout": 10000])
            #expect(!terminated.isEmpty)
            #expect(try await left.streamedRequest("list-sas", event: "list-sa", [:]) == [])

            let updown = try await withTimeout(10, "up and down events") {
                var seen: [VICIEvent] = []
                for try await event in events {
                    seen.append(event)
                    if seen.count == 4 { break }
                }
                return seen
            }
            #expect(updown.map(\.name).sorted() == ["child-updown", "child-updown", "ike-updown", "ike-updown"])
            let ikeUp = try #require(updown.first { $0.name == "ike-updown" && $0.message.flag("up") })
            #expect(ikeUp.message.section("site")?.string("state") == "ESTABLISHED")
            #expect(ikeUp.message.section("site")?.section("child-sas") == nil)
            let childUp = try #require(updown.first { $0.name == "child-updown" && $0.message.flag("up") })
            #expect(childUp.message.section("site")?.section("child-sas")?.count == 1)
            // A down event has no `up` key at all (not "no").
            let ikeDown = try #require(updown.first { $0.name == "ike-updown" && !$0.message.flag("up") })
            #expect(ikeDown.message["up"] == nil)
            #expect(ikeDown.message.keys == ["site"])
        }
    }
}
