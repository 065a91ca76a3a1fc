package enum VICIError: Error, Equatable, Sendable {
    /// charon answered `success = no`; `message` is its `errmsg` (empty when it gave none).
    case commandFailed(command: String, message: String)
    /// charon answered CMD_UNKNOWN: no handler for this command name.
    case unknownCommand(String)
    /// charon answered EVENT_UNKNOWN: no event source of this name.
    case unknownEvent(String)
    /// The connection went away (charon stopped or crashed, or the client was closed).
    case connectionClosed
    /// The VICI socket could not be connected (absent, refused, permission).
    case connectionFailed(socketPath: String, reason: String)
    /// Bytes that violate the protocol, in either direction (truncated, bad type, oversize, ...).
    case malformed(String)
    /// charon sent a packet that makes no sense at this point of the exchange.
    case unexpectedPacket(String)
}
