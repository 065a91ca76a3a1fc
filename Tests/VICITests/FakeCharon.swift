import Foundation
import NIOCore
import NIOPosix
import Synchronization
@testable import VICI

/// An in-process VICI server speaking just enough of charon's side to exercise `VICIClient`
/// where no real charon is available (laptops, macOS).
final class FakeCharon: Sendable {
    let socketPath: String
    private let server: any Channel
    private let connections: Mutex<[any Channel]>

    private init(socketPath: String, server: any Channel) {
        self.socketPath = socketPath
        self.server = server
        self.connections = Mutex([])
    }

    static func start() async throws -> FakeCharon {
        let path = "/tmp/vici-fake-\(UInt32.random(in: 0...UInt32.max)).sock"
        let accepted = Accepted()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                accepted.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(VICIPacketDecoder()),
                        MessageToByteHandler(VICIPacketEncoder()),
                        FakeCharonHandler(),
                    ])
                }
            }
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true)
            .get()
        let fake = FakeCharon(socketPath: path, server: server)
        accepted.owner.withLock { $0 = fake }
        return fake
    }

    /// Like charon dying: every client connection is cut.
    func stop() async {
        try? await server.close()
        for channel in connections.withLock({ $0 }) { try? await channel.close() }
        try? FileManager.default.removeItem(atPath: socketPath)
    }

    fileprivate func add(_ channel: any Channel) { connections.withLock { $0.append(channel) } }

    /// Collects accepted channels before the `FakeCharon` exists (the bootstrap needs the closure first).
    final class Accepted: Sendable {
        let owner = Mutex<FakeCharon?>(nil)
        func add(_ channel: any Channel) { owner.withLock { $0?.add(channel) } }
    }
}

private final class FakeCharonHandler: ChannelInboundHandler {
    typealias InboundIn = VICIPacket
    typealias OutboundOut = VICIPacket

    static let knownEvents: Set<String> = ["log", "ike-updown", "child-updown", "list-sa", "list-conn", "control-log"]
    private var registered: Set<String> = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .eventRegister(let name):
            guard Self.knownEvents.contains(name) else { return send(.eventUnknown, context) }
            registered.insert(name)
            send(.eventConfirm, context)
            if name == "ike-updown" {
                send(.event(name: "ike-updown", message: ["up": "yes", "site": ["state": "ESTABLISHED"]]), context)
            }
        case .eventUnregister(let name):
            send(registered.remove(name) == nil ? .eventUnknown : .eventConfirm, context)
        case .commandRequest("version", _):
            send(.commandResponse(["daemon": "fake-charon", "version": "5.9.8"]), context)
        case .commandRequest("echo", let message):
            send(.commandResponse(message), context)
        case .commandRequest("fail", _):
            send(.commandResponse(["success": "no", "errmsg": "fake failure"]), context)
        case .commandRequest("list-sas", _):
            if registered.contains("list-sa") {
                send(.event(name: "list-sa", message: ["a": ["state": "ESTABLISHED"]]), context)
                // Unregistered events must not end up in the streamed result.
                send(.event(name: "log", message: ["msg": "noise"]), context)
                send(.event(name: "list-sa", message: ["b": ["state": "CONNECTING"]]), context)
            }
            send(.commandResponse([:]), context)
        default:
            send(.commandUnknown, context)
        }
    }

    private func send(_ packet: VICIPacket, _ context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(packet), promise: nil)
    }
}
