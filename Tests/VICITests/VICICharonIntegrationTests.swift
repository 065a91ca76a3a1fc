import Foundation
import Logging
import Testing
import VICI

/// Against a real charon-systemd (strongSwan 5.9.8 here). Skipped without root/charon on a laptop;
/// with CI=true it runs regardless, so missing prerequisites fail the build.
@Suite(
    .serialized,
    .enabled(if: CharonFixture.shouldRun, "needs root and charon-systemd (CI=true turns a skip into a failure)")
)
struct VICICharonIntegrationTests {
    static func conn(_ name: String, remote: String = "192.0.2.2") -> VICIMessage {
        [
            name: [
                "version": 2,
                "local_addrs": ["192.0.2.1"],
                "remote_addrs": .strings([remote]),
                "proposals": ["aes256-sha256-modp2048"],
                "rekey_time": 3600,
                "local-1": ["auth": "psk", "id": "192.0.2.1"],
                "remote-1": ["auth": "psk", "id": .string(remote)],
                "children": [
                    name: [
                        "mode": "tunnel",
                        "local_ts": ["10.1.0.0/24"],
                        "remote_ts": ["10.2.0.0/24"],
                        "esp_proposals": ["aes256-sha256-modp2048"],
                        "start_action": "none",
                    ]
                ],
            ]
        ]
    }

    @Test func version() async throws {
        try await withCharon { _, client in
            let version = try await client.request("version")
            #expect(version.string("daemon") == "charon-systemd")
            #expect(version.string("version")?.hasPrefix("5.") == true)
            #expect(version.string("sysname") == "Linux")
        }
    }

    @Test func connectionLifecycle() async throws {
        try await withCharon { _, client in
            let shared = try await client.request(
                "load-shared",
                ["id": "psk-site", "type": "IKE", "data": "vici-test-psk-0123456789", "owners": ["192.0.2.1", "192.0.2.2"]]
            )
            #expect(shared.string("success") == "yes")
            #expect(try await client.request("get-shared")["keys"] == ["psk-site"])

            let loaded = try await client.request("load-conn", Self.conn("site"))
            #expect(loaded.string("success") == "yes")
            #expect(try await client.request("get-conns").strings("conns") == ["site"])

            let conns = try await client.streamedRequest("list-conns", event: "list-conn", [:])
            try #require(conns.count == 1)
            let site = try #require(conns[0].section("site"))
            #expect(site.strings("local_addrs") == ["192.0.2.1"])
            #expect(site.strings("remote_addrs") == ["192.0.2.2"])
            #expect(site.string("version") == "IKEv2")
            #expect(site.section("local-1")?.string("class") == "pre-shared key")
            #expect(site.section("local-1")?.string("id") == "192.0.2.1")
            let child = try #require(site.section("children")?.section("site"))
            #expect(child.string("mode") == "TUNNEL")
            #expect(child.strings("local-ts") == ["10.1.0.0/24"])
            #expect(child.strings("remote-ts") == ["10.2.0.0/24"])

            #expect(try await client.streamedRequest("list-sas", event: "list-sa", ["noblock": "yes"]) == [])

            #expect(try await client.request("unload-conn", ["name": "site"]).string("success") == "yes")
            #expect(try await client.request("get-conns").strings("conns") == [])
            await #expect(throws: VICIError.commandFailed(command: "unload-conn", message: "unload: connection 'site' not found")) {
                try await client.request("unload-conn", ["name": "site"])
            }
            #expect(try await client.request("unload-shared", ["id": "psk-site"]).string("success") == "yes")
        }
    }

    @Test func failuresCarryCharonsReason() async throws {
        try await withCharon { _, client in
            await #expect(throws: VICIError.commandFailed(command: "load-conn", message: "unknown option: foo, config discarded")) {
                try await client.request("load-conn", ["bad": ["foo": "bar"]])
            }
            await #expect(throws: VICIError.commandFailed(command: "load-conn", message: "invalid value for: proposals, config discarded")) {
                try await client.request("load-conn", ["bad": ["proposals": ["nonsense-xyz"]]])
            }
            await #expect(throws: VICIError.unknownCommand("no-such-command")) {
                try await client.request("no-such-command")
            }
            await #expect(throws: VICIError.unknownEvent("no-such-event")) {
                try await client.streamedRequest("list-sas", event: "no-such-event", [:])
            }
            await #expect(throws: VICIError.unknownEvent("no-such-event")) {
                try await client.events(["log", "no-such-event"])
            }
            // The connection is still in sync after all of that.
            let version = try await client.request("version")
            #expect(version.string("daemon") == "charon-systemd")
        }
    }

    @Test func logEventsArriveWhileCommandsRun() async throws {
        try await withCharon { _, client in
            let events = try await client.events(["log", "ike-updown", "child-updown"])
            #expect(try await client.request("load-shared", ["type": "IKE", "data": "secret-0123456789", "owners": ["192.0.2.1"]]).string("success") == "yes")
            #expect(try await client.request("load-conn", Self.conn("lonely")).string("success") == "yes")
            // The namespace has only `lo`: the IKE_SA_INIT cannot leave it ("Network is unreachable").
            let initiated = try await client.request("initiate", ["child": "lonely", "timeout": -1])
            #expect(initiated.string("success") == "yes")

            let seen = try await withTimeout(10, "log events") {
                var messages: [String] = []
                for try await event in events where event.name == "log" {
                    #expect(event.message.string("group") != nil)
                    #expect(event.message.string("level") != nil)
                    messages.append(event.message.string("msg") ?? "")
                    if messages.contains(where: { $0.hasPrefix("initiating IKE_SA lonely") }) { return messages }
                }
                return messages
            }
            #expect(seen.contains("added vici connection: lonely"))
            #expect(seen.contains { $0.hasPrefix("initiating IKE_SA lonely[") })

            let sas = try await client.streamedRequest("list-sas", event: "list-sa", ["noblock": "yes"])
            let sa = try #require(sas.first?.section("lonely"))
            #expect(sa.string("state") == "CONNECTING")
            #expect(sa.string("initiator") == "yes")
            #expect(sa.string("remote-host") == "192.0.2.2")
        }
    }

    @Test func concurrentRequestsAreSerialized() async throws {
        try await withCharon { _, client in
            let events = try await client.events(["log"])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        switch index % 3 {
                        case 0:
                            let version = try await client.request("version")
                            #expect(version.string("daemon") == "charon-systemd")
                        case 1:
                            let name = "c\(index)"
                            #expect(try await client.request("load-conn", Self.conn(name)).string("success") == "yes")
                        default:
                            let conns = try await client.streamedRequest("list-conns", event: "list-conn", [:])
                            #expect(conns.allSatisfy { $0.count == 1 })
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await client.request("get-conns").strings("conns")?.count == 8)
            // The log subscription saw the loads while the commands ran.
            let added = try await withTimeout(10, "8 load-conn log lines") {
                var count = 0
                for try await event in events where event.message.string("msg")?.hasPrefix("added vici connection") == true {
                    count += 1
                    if count == 8 { break }
                }
                return count
            }
            #expect(added == 8)
        }
    }

    @Test func cancellingAStuckCommandKeepsTheConnectionInSync() async throws {
        try await withCharon { charon, client in
            #expect(try await client.request("load-conn", Self.conn("stuck")).string("success") == "yes")
            // timeout 0 = wait for the outcome; the peer is unreachable, so charon keeps retransmitting.
            let stuck = Task { try await client.request("initiate", ["child": "stuck", "timeout": 0]) }
            try await Task.sleep(for: .milliseconds(300))
            stuck.cancel()
            await #expect(throws: CancellationError.self) { try await stuck.value }

            // The initiate still occupies the connection; ending the IKE_SA from elsewhere releases it.
            let other = try await charon.connect()
            let terminated = try await other.request("terminate", ["ike": "stuck", "force": "yes", "timeout": -1])
            #expect(terminated.string("success") == "yes")
            await other.close()
            let version = try await withTimeout(10, "the connection to be free again") {
                try await client.request("version")
            }
            #expect(version.string("daemon") == "charon-systemd")
        }
    }

    @Test func killedCharonEndsEventStreamAndCommands() async throws {
        try await withCharon { charon, client in
            let events = try await client.events(["ike-updown", "child-updown", "log"])
            charon.kill()
            let start = ContinuousClock.now
            await #expect(throws: VICIError.connectionClosed) {
                try await withTimeout(5, "the event stream to end") {
                    for try await _ in events {}
                }
            }
            #expect(ContinuousClock.now - start < .seconds(2))
            await #expect(throws: VICIError.connectionClosed) {
                try await client.request("version")
            }
            await #expect(throws: VICIError.self) {
                try await client.events(["log"])
            }
        }
    }

    @Test func closeEndsEventStreamsQuietly() async throws {
        try await withCharon { charon, client in
            let events = try await client.events(["log"])
            await client.close()
            try await withTimeout(5, "the event stream to finish") {
                for try await _ in events {}
            }
            await #expect(throws: VICIError.connectionClosed) {
                try await client.request("version")
            }
            // Others can still talk to charon: only our connections were closed.
            let other = try await charon.connect()
            #expect(try await other.request("version").string("daemon") == "charon-systemd")
            await other.close()
        }
    }
}

@Suite struct VICIClientConnectTests {
    @Test func absentSocketFailsClearly() async throws {
        let path = "/tmp/vici-absent-\(UInt32.random(in: 0...UInt32.max))/charon.vici"
        do {
            _ = try await VICIClient.connect(socketPath: path, logger: Logger(label: "test"))
            Issue.record("connect to an absent socket succeeded")
        } catch let VICIError.connectionFailed(socketPath, reason) {
            #expect(socketPath == path)
            #expect(!reason.isEmpty)
        }
    }

    @Test func nonSocketFileFailsClearly() async throws {
        let path = "/tmp/vici-notasocket-\(UInt32.random(in: 0...UInt32.max))"
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: path) }
        await #expect(throws: VICIError.self) {
            _ = try await VICIClient.connect(socketPath: path, logger: Logger(label: "test"))
        }
    }
}
