import Logging
import Testing
@testable import VICI

/// `VICIClient` over a real Unix socket against `FakeCharon`; runs everywhere.
@Suite struct VICIClientTests {
    func withFake(_ body: (FakeCharon, VICIClient) async throws -> Void) async throws {
        let fake = try await FakeCharon.start()
        let client = try await VICIClient.connect(socketPath: fake.socketPath, logger: Logger(label: "test"))
        do {
            try await body(fake, client)
        } catch {
            await client.close()
            await fake.stop()
            throw error
        }
        await client.close()
        await fake.stop()
    }

    @Test func requestRoundTripKeepsOrder() async throws {
        try await withFake { _, client in
            #expect(try await client.request("version").string("daemon") == "fake-charon")
            let message: VICIMessage = ["z": "1", "a": ["y": ["q", "p"], "b": [:]], "m": ""]
            let echoed = try await client.request("echo", message)
            #expect(echoed == message)
            #expect(echoed.keys == ["z", "a", "m"])
        }
    }

    @Test func failuresMapToErrors() async throws {
        try await withFake { _, client in
            await #expect(throws: VICIError.commandFailed(command: "fail", message: "fake failure")) {
                try await client.request("fail")
            }
            await #expect(throws: VICIError.unknownCommand("nope")) { try await client.request("nope") }
            await #expect(throws: VICIError.unknownEvent("nope")) {
                try await client.streamedRequest("list-sas", event: "nope", [:])
            }
            await #expect(throws: VICIError.unknownEvent("nope")) { try await client.events(["nope"]) }
            await #expect(throws: VICIError.self) {
                try await client.request("echo", ["k": .value(Array(repeating: 0, count: 70_000))])
            }
            let version = try await client.request("version")
            #expect(version.string("daemon") == "fake-charon")
        }
    }

    @Test func streamedRequestCollectsOnlyItsEvent() async throws {
        try await withFake { _, client in
            let sas = try await client.streamedRequest("list-sas", event: "list-sa", [:])
            #expect(sas == [["a": ["state": "ESTABLISHED"]], ["b": ["state": "CONNECTING"]]])
        }
    }

    @Test func concurrentRequestsGetTheirOwnResponses() async throws {
        try await withFake { _, client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<100 {
                    group.addTask {
                        if index % 5 == 0 {
                            let sas = try await client.streamedRequest("list-sas", event: "list-sa", [:])
                            #expect(sas.count == 2)
                        } else {
                            let message: VICIMessage = ["index": .string(String(index))]
                            let echoed = try await client.request("echo", message)
                            #expect(echoed == message)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func eventStreamEndsWithErrorWhenCharonGoesAway() async throws {
        try await withFake { fake, client in
            let events = try await client.events(["ike-updown", "log"])
            var iterator = events.makeAsyncIterator()
            let first = try await iterator.next()
            #expect(first == VICIEvent(name: "ike-updown", message: ["up": "yes", "site": ["state": "ESTABLISHED"]]))
            await fake.stop()
            await #expect(throws: VICIError.connectionClosed) { _ = try await iterator.next() }
            await #expect(throws: VICIError.connectionClosed) { try await client.request("version") }
            #expect(client.openEventConnections == 0)
        }
    }

    @Test func droppingTheStreamClosesItsConnection() async throws {
        try await withFake { _, client in
            do {
                let events = try await client.events(["log"])
                _ = events
                #expect(client.openEventConnections == 1)
            }
            #expect(client.openEventConnections == 0)
            #expect(try await client.request("version").string("daemon") == "fake-charon")
        }
    }
}
