import Logging
import NIOCore
import NIOEmbedded
import Synchronization
import Testing
@testable import VICI

/// Captures a future's result on the embedded loop, where everything completes synchronously.
final class Outcome<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)

    init(_ future: EventLoopFuture<Value>) {
        future.whenComplete { value in self.result.withLock { $0 = value } }
    }

    var isPending: Bool { result.withLock { $0 == nil } }
    var value: Value? { result.withLock { try? $0?.get() } }
    var error: VICIError? {
        result.withLock {
            guard case .failure(let error)? = $0 else { return nil }
            return error as? VICIError
        }
    }
}

@Suite struct VICIConnectionHandlerTests {
    let channel: EmbeddedChannel

    init() throws {
        channel = EmbeddedChannel(handler: VICIConnectionHandler(eventSink: nil, logger: Logger(label: "test")))
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/vici-test")).wait()
    }

    func command(_ name: String, _ message: VICIMessage = [:], streaming: String? = nil) -> Outcome<VICIReply> {
        let promise = channel.eventLoop.makePromise(of: VICIReply.self)
        channel.writeAndFlush(VICIOperation.command(name, message, streaming: streaming, promise: promise), promise: nil)
        return Outcome(promise.futureResult)
    }

    func sent() throws -> VICIPacket? { try channel.readOutbound(as: VICIPacket.self) }

    @Test func plainCommand() throws {
        let outcome = command("version")
        #expect(try sent() == .commandRequest(command: "version", message: [:]))
        #expect(outcome.isPending)
        try channel.writeInbound(VICIPacket.commandResponse(["daemon": "charon-systemd"]))
        #expect(outcome.value == VICIReply(response: ["daemon": "charon-systemd"], events: []))
    }

    @Test func streamedCommandRegistersCollectsAndUnregisters() throws {
        let outcome = command("list-sas", ["noblock": "yes"], streaming: "list-sa")
        #expect(try sent() == .eventRegister("list-sa"))
        #expect(try sent() == nil)
        try channel.writeInbound(VICIPacket.eventConfirm)
        #expect(try sent() == .commandRequest(command: "list-sas", message: ["noblock": "yes"]))
        try channel.writeInbound(VICIPacket.event(name: "list-sa", message: ["a": ["state": "ESTABLISHED"]]))
        try channel.writeInbound(VICIPacket.event(name: "log", message: ["msg": "unrelated"]))
        try channel.writeInbound(VICIPacket.event(name: "list-sa", message: ["b": ["state": "CONNECTING"]]))
        try channel.writeInbound(VICIPacket.commandResponse([:]))
        #expect(try sent() == .eventUnregister("list-sa"))
        #expect(outcome.isPending)
        try channel.writeInbound(VICIPacket.eventConfirm)
        #expect(
            outcome.value
                == VICIReply(response: [:], events: [["a": ["state": "ESTABLISHED"]], ["b": ["state": "CONNECTING"]]])
        )
    }

    @Test func commandsAreSentOneAtATime() throws {
        let first = command("version")
        let second = command("get-conns")
        #expect(try sent() == .commandRequest(command: "version", message: [:]))
        #expect(try sent() == nil)
        try channel.writeInbound(VICIPacket.commandResponse(["version": "5.9.8"]))
        #expect(first.value?.response == ["version": "5.9.8"])
        #expect(try sent() == .commandRequest(command: "get-conns", message: [:]))
        try channel.writeInbound(VICIPacket.commandResponse(["conns": ["a"]]))
        #expect(second.value?.response == ["conns": ["a"]])
    }

    @Test func unknownCommandFailsOnlyThatCommand() throws {
        let unknown = command("nope")
        let next = command("version")
        _ = try sent()
        try channel.writeInbound(VICIPacket.commandUnknown)
        #expect(unknown.error == .unknownCommand("nope"))
        #expect(try sent() == .commandRequest(command: "version", message: [:]))
        try channel.writeInbound(VICIPacket.commandResponse([:]))
        #expect(next.value != nil)
    }

    @Test func unknownStreamEventFailsWithoutSendingTheCommand() throws {
        let outcome = command("list-sas", streaming: "nope")
        _ = try sent()
        try channel.writeInbound(VICIPacket.eventUnknown)
        #expect(outcome.error == .unknownEvent("nope"))
        #expect(try sent() == nil)
    }

    @Test func unknownStreamedCommandStillUnregisters() throws {
        let outcome = command("list-nope", streaming: "list-sa")
        _ = try sent()
        try channel.writeInbound(VICIPacket.eventConfirm)
        _ = try sent()
        try channel.writeInbound(VICIPacket.commandUnknown)
        #expect(try sent() == .eventUnregister("list-sa"))
        try channel.writeInbound(VICIPacket.eventConfirm)
        #expect(outcome.error == .unknownCommand("list-nope"))
    }

    @Test func connectionLossFailsPendingAndLaterCommands() throws {
        let inFlight = command("initiate", streaming: "control-log")
        let queued = command("version")
        channel.pipeline.fireChannelInactive()
        #expect(inFlight.error == .connectionClosed)
        #expect(queued.error == .connectionClosed)
        #expect(command("version").error == .connectionClosed)
    }

    @Test func outOfTurnReplyClosesTheConnection() throws {
        let pending = command("version")
        _ = try sent()
        try channel.writeInbound(VICIPacket.eventConfirm)
        #expect(pending.error == .unexpectedPacket("eventConfirm while commanding"))
        #expect(!channel.isActive)
    }

    @Test func codecErrorFailsPending() throws {
        let pending = command("version")
        channel.pipeline.fireErrorCaught(VICIError.malformed("unknown packet type 42"))
        #expect(pending.error == .malformed("unknown packet type 42"))
        #expect(!channel.isActive)
    }
}

@Suite struct VICIEventSinkTests {
    func makeChannel() throws -> (EmbeddedChannel, AsyncThrowingStream<VICIEvent, any Error>) {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: VICIEvent.self)
        let channel = EmbeddedChannel(handler: VICIConnectionHandler(eventSink: continuation, logger: Logger(label: "test")))
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/vici-test")).wait()
        return (channel, stream)
    }

    func register(_ name: String, on channel: EmbeddedChannel) -> Outcome<Void> {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(VICIOperation.register(name, promise: promise), promise: nil)
        return Outcome(promise.futureResult)
    }

    @Test func registeredEventsFlowUntilCharonGoesAway() async throws {
        let (channel, stream) = try makeChannel()
        let first = register("ike-updown", on: channel)
        #expect(try channel.readOutbound(as: VICIPacket.self) == .eventRegister("ike-updown"))
        try channel.writeInbound(VICIPacket.eventConfirm)
        #expect(first.value != nil)
        let second = register("nope", on: channel)
        try channel.writeInbound(VICIPacket.event(name: "ike-updown", message: ["up": "yes"]))
        _ = try channel.readOutbound(as: VICIPacket.self)
        try channel.writeInbound(VICIPacket.eventUnknown)
        #expect(second.error == .unknownEvent("nope"))
        try channel.writeInbound(VICIPacket.event(name: "ike-updown", message: ["site": [:]]))
        channel.pipeline.fireChannelInactive()

        var received: [VICIEvent] = []
        await #expect(throws: VICIError.connectionClosed) {
            for try await event in stream { received.append(event) }
        }
        #expect(received == [
            VICIEvent(name: "ike-updown", message: ["up": "yes"]),
            VICIEvent(name: "ike-updown", message: ["site": [:]]),
        ])
    }

    @Test func localCloseFinishesTheStreamQuietly() async throws {
        let (channel, stream) = try makeChannel()
        try channel.writeInbound(VICIPacket.event(name: "log", message: ["msg": "hello"]))
        try await channel.close()
        var received: [VICIEvent] = []
        for try await event in stream { received.append(event) }
        #expect(received.map(\.name) == ["log"])
    }
}
