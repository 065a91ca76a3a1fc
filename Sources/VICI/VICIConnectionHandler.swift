import Logging
import NIOCore

/// Drives the VICI exchange on one connection: queues operations, sends one at a time, matches replies,
/// collects streamed events and forwards subscribed events.
///
/// All state lives on the channel's event loop, so the async API above needs no locks.
final class VICIConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = VICIPacket
    typealias OutboundIn = VICIOperation
    typealias OutboundOut = VICIPacket

    private enum Step {
        case registering(String)
        case commanding
        case unregistering(String)
        case subscribing(String)
    }

    private struct InFlight {
        var operation: VICIOperation
        var step: Step
        var events: [VICIMessage] = []
        /// A streamed command's result, held back until its event is unregistered.
        var outcome: Result<VICIMessage, VICIError>?
    }

    private var waiting = CircularBuffer<VICIOperation>()
    private var inFlight: InFlight?
    /// Set once the connection is unusable; later operations fail with it at once.
    private var failure: VICIError?
    private var closingLocally = false
    private let eventSink: AsyncThrowingStream<VICIEvent, any Error>.Continuation?
    private let logger: Logger

    init(eventSink: AsyncThrowingStream<VICIEvent, any Error>.Continuation?, logger: Logger) {
        self.eventSink = eventSink
        self.logger = logger
    }

    // MARK: outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let operation = unwrapOutboundIn(data)
        // The write promise only says "queued"; the operation's own promise carries the result.
        promise?.succeed(())
        if let failure {
            operation.fail(failure)
            return
        }
        waiting.append(operation)
        startNext(context: context)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        closingLocally = true
        context.close(mode: mode, promise: promise)
    }

    private func startNext(context: ChannelHandlerContext) {
        guard inFlight == nil, let operation = waiting.popFirst() else { return }
        switch operation {
        case .command(let command, let message, let streaming, _):
            if let event = streaming {
                inFlight = InFlight(operation: operation, step: .registering(event))
                send(.eventRegister(event), context: context)
            } else {
                inFlight = InFlight(operation: operation, step: .commanding)
                send(.commandRequest(command: command, message: message), context: context)
            }
        case .register(let event, _):
            inFlight = InFlight(operation: operation, step: .subscribing(event))
            send(.eventRegister(event), context: context)
        }
    }

    private func send(_ packet: VICIPacket, context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(packet), promise: nil)
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let packet = unwrapInboundIn(data)
        switch (packet, inFlight?.step) {
        case (.event(let name, let message), .commanding) where streamedEvent == name:
            inFlight?.events.append(message)
        case (.event(let name, let message), _):
            if let eventSink {
                eventSink.yield(VICIEvent(name: name, message: message))
            } else {
                logger.trace("VICI event without subscriber dropped", metadata: ["vici.event": "\(name)"])
            }

        case (.commandResponse(let response), .commanding):
            commandFinished(.success(response), context: context)
        case (.commandUnknown, .commanding):
            commandFinished(.failure(.unknownCommand(commandName ?? "")), context: context)

        case (.eventConfirm, .registering):
            inFlight?.step = .commanding
            if case .command(let command, let message, _, _) = inFlight?.operation {
                send(.commandRequest(command: command, message: message), context: context)
            }
        case (.eventUnknown, .registering(let event)):
            complete(.failure(.unknownEvent(event)), context: context)
        case (.eventConfirm, .unregistering), (.eventUnknown, .unregistering):
            // An unregister failure leaves nothing to clean up; the command's own outcome is what counts.
            complete(inFlight?.outcome ?? .failure(.connectionClosed), context: context)
        case (.eventConfirm, .subscribing):
            complete(.success(VICIMessage()), context: context)
        case (.eventUnknown, .subscribing(let event)):
            complete(.failure(.unknownEvent(event)), context: context)

        default:
            // Without request ids a reply out of turn means we lost track of the exchange: give up the connection.
            let error = VICIError.unexpectedPacket("\(packet.type) while \(inFlight.map { "\($0.step)" } ?? "idle")")
            fail(with: error, context: context)
            context.close(promise: nil)
        }
    }

    private var streamedEvent: String? {
        guard case .command(_, _, let streaming?, _) = inFlight?.operation else { return nil }
        return streaming
    }

    private var commandName: String? {
        guard case .command(let command, _, _, _) = inFlight?.operation else { return nil }
        return command
    }

    private func commandFinished(_ outcome: Result<VICIMessage, VICIError>, context: ChannelHandlerContext) {
        if let event = streamedEvent {
            inFlight?.outcome = outcome
            inFlight?.step = .unregistering(event)
            send(.eventUnregister(event), context: context)
        } else {
            complete(outcome, context: context)
        }
    }

    private func complete(_ outcome: Result<VICIMessage, VICIError>, context: ChannelHandlerContext) {
        guard let finished = inFlight else { return }
        inFlight = nil
        switch (finished.operation, outcome) {
        case (.command(_, _, _, let promise), .success(let response)):
            promise.succeed(VICIReply(response: response, events: finished.events))
        case (.register(_, let promise), .success):
            promise.succeed(())
        case (let operation, .failure(let error)):
            operation.fail(error)
        }
        startNext(context: context)
    }

    // MARK: teardown

    func channelInactive(context: ChannelHandlerContext) {
        fail(with: .connectionClosed, context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Socket errors (reset, broken pipe) mean charon is gone; codec errors are reported as such.
        let viciError = (error as? VICIError) ?? .connectionClosed
        logger.debug("VICI connection failed", metadata: ["error": "\(error)"])
        fail(with: viciError, context: context)
        context.close(promise: nil)
    }

    private func fail(with error: VICIError, context: ChannelHandlerContext) {
        guard failure == nil else { return }
        failure = error
        let pending = (inFlight.map { [$0.operation] } ?? []) + Array(waiting)
        inFlight = nil
        waiting.removeAll()
        for operation in pending { operation.fail(error) }
        if closingLocally, error == .connectionClosed {
            eventSink?.finish()
        } else {
            eventSink?.finish(throwing: error)
        }
    }
}
