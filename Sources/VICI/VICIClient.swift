import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A VICI client over charon's Unix socket.
///
/// Commands share one connection and run strictly one after another (VICI has no request ids).
/// Each `events(_:)` subscription gets a connection of its own, so registering for `log` or `ike-updown`
/// never interferes with streamed commands, and a subscription ends exactly when charon goes away.
package final class VICIClient: VICIConnection {
    package let socketPath: String
    private let channel: any Channel
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger
    private let state = Mutex(State())

    struct State {
        var closed = false
        var eventChannels: [ObjectIdentifier: any Channel] = [:]
    }

    private init(socketPath: String, channel: any Channel, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.socketPath = socketPath
        self.channel = channel
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    deinit {
        // A forgotten client must not keep charon's client slot (and our socket) open.
        channel.close(promise: nil)
        for channel in state.withLock({ $0.eventChannels.values }) { channel.close(promise: nil) }
    }

    /// Connects to charon's VICI socket, e.g. `/run/vpnaas/<router>/charon.vici`.
    /// Throws `VICIError.connectionFailed` when the socket is absent, refused or not accessible.
    package static func connect(
        socketPath: String,
        eventLoopGroup: (any EventLoopGroup)? = nil,
        logger: Logger
    ) async throws -> VICIClient {
        let group = eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
        var logger = logger
        logger[metadataKey: "vici.socket"] = "\(socketPath)"
        let channel = try await openChannel(socketPath: socketPath, group: group, eventSink: nil, logger: logger)
        logger.debug("VICI connected")
        return VICIClient(socketPath: socketPath, channel: channel, eventLoopGroup: group, logger: logger)
    }

    package func request(_ command: String, _ message: VICIMessage) async throws -> VICIMessage {
        try await perform(command, message, streaming: nil).response
    }

    package func streamedRequest(
        _ command: String,
        event: String,
        _ message: VICIMessage
    ) async throws -> [VICIMessage] {
        try await perform(command, message, streaming: event).events
    }

    /// Closes the command connection and ends all event streams (they finish without error).
    package func close() async {
        let eventChannels = state.withLock { state in
            state.closed = true
            defer { state.eventChannels = [:] }
            return Array(state.eventChannels.values)
        }
        for channel in eventChannels + [channel] {
            try? await channel.close()
        }
    }

    // MARK: internals

    private func perform(_ command: String, _ message: VICIMessage, streaming: String?) async throws -> VICIReply {
        // Validate limits here, so an oversize request fails alone instead of breaking the shared connection.
        _ = try VICIPacket.commandRequest(command: command, message: message).encoded()
        if let streaming { _ = try VICIPacket.eventRegister(streaming).encoded() }

        let promise = channel.eventLoop.makePromise(of: VICIReply.self)
        submit(.command(command, message, streaming: streaming, promise: promise), on: channel)
        // VICI cannot abort a command, so cancellation only stops the wait: charon still runs the command, and
        // the handler still consumes its reply (completing the failed promise again is a no-op), keeping the
        // connection in sync. Commands queued behind a stuck one keep waiting; close the client to abandon them.
        let reply = try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            promise.fail(CancellationError())
        }
        if reply.response.string("success") == "no" {
            throw VICIError.commandFailed(command: command, message: reply.response.string("errmsg") ?? "")
        }
        logger.trace("VICI command done", metadata: ["vici.command": "\(command)", "vici.events": "\(reply.events.count)"])
        return reply
    }

    /// Hands an operation to the connection handler; fails it when the channel is already closed.
    func submit(_ operation: VICIOperation, on channel: any Channel) {
        let written = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(operation, promise: written)
        // A closed pipeline never reaches the handler, so the operation would wait forever otherwise.
        written.futureResult.whenFailure { _ in operation.fail(.connectionClosed) }
    }

    static func openChannel(
        socketPath: String,
        group: any EventLoopGroup,
        eventSink: AsyncThrowingStream<VICIEvent, any Error>.Continuation?,
        logger: Logger
    ) async throws -> any Channel {
        do {
            return try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers([
                            ByteToMessageHandler(VICIPacketDecoder()),
                            MessageToByteHandler(VICIPacketEncoder()),
                            VICIConnectionHandler(eventSink: eventSink, logger: logger),
                        ])
                    }
                }
                .connect(unixDomainSocketPath: socketPath)
                .get()
        } catch {
            throw VICIError.connectionFailed(socketPath: socketPath, reason: "\(error)")
        }
    }

    func trackEventChannel(_ channel: any Channel) -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.eventChannels[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    var openEventConnections: Int { state.withLock { $0.eventChannels.count } }

    func untrackEventChannel(_ channel: any Channel) {
        _ = state.withLock { $0.eventChannels.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}
