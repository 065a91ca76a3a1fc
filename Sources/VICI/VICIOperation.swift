import NIOCore

/// One exchange the client hands to `VICIConnectionHandler`; the handler runs them strictly one at a time,
/// because VICI has no request ids and charon answers in order.
enum VICIOperation: Sendable {
    /// A command; with `streaming`, the event is registered before and unregistered after it, and its
    /// events are collected into the reply.
    case command(String, VICIMessage, streaming: String?, promise: EventLoopPromise<VICIReply>)
    /// An event registration that stays in place (event subscriptions).
    case register(String, promise: EventLoopPromise<Void>)

    func fail(_ error: VICIError) {
        switch self {
        case .command(_, _, _, let promise): promise.fail(error)
        case .register(_, let promise): promise.fail(error)
        }
    }
}

struct VICIReply: Sendable, Equatable {
    var response: VICIMessage
    var events: [VICIMessage]
}
