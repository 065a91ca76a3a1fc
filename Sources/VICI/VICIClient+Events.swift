import Logging
import NIOCore

extension VICIClient {
    /// Subscribes to charon events by name (e.g. `ike-updown`, `child-updown`, `log`) on a dedicated connection.
    ///
    /// The stream throws `VICIError.connectionClosed` as soon as charon goes away (stopped or crashed),
    /// finishes normally after `close()`, and closes its connection when the consumer stops iterating.
    /// Throws `VICIError.unknownEvent` when charon has no such event.
    /// Events are buffered without bound until consumed: keep iterating (`log` can be chatty).
    package func events(_ names: [String]) async throws -> AsyncThrowingStream<VICIEvent, any Error> {
        for name in names { _ = try VICIPacket.eventRegister(name).encoded() }
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: VICIEvent.self)
        let channel = try await Self.openChannel(
            socketPath: socketPath,
            group: eventLoopGroup,
            eventSink: continuation,
            logger: logger
        )
        guard trackEventChannel(channel) else {
            try? await channel.close()
            throw VICIError.connectionClosed
        }
        // Holding the client here keeps it (and so the subscription) alive as long as someone iterates the stream;
        // the cycle through the channel's handler ends when the stream terminates or the channel closes.
        continuation.onTermination = { _ in
            channel.close(promise: nil)
            self.untrackEventChannel(channel)
        }
        do {
            for name in names {
                let registered = channel.eventLoop.makePromise(of: Void.self)
                submit(.register(name, promise: registered), on: channel)
                try await registered.futureResult.get()
            }
        } catch {
            continuation.finish()
            throw error
        }
        logger.debug("VICI events registered", metadata: ["vici.events": "\(names)"])
        return stream
    }
}
