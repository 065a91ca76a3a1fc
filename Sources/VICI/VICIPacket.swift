import NIOCore

/// One VICI packet: the content of one length-prefixed transport segment.
package enum VICIPacket: Sendable, Equatable {
    case commandRequest(command: String, message: VICIMessage)
    case commandResponse(VICIMessage)
    case commandUnknown
    case eventRegister(String)
    case eventUnregister(String)
    case eventConfirm
    case eventUnknown
    case event(name: String, message: VICIMessage)

    package enum PacketType: UInt8, Sendable {
        case commandRequest = 0
        case commandResponse = 1
        case commandUnknown = 2
        case eventRegister = 3
        case eventUnregister = 4
        case eventConfirm = 5
        case eventUnknown = 6
        case event = 7
    }

    package var type: PacketType {
        switch self {
        case .commandRequest: .commandRequest
        case .commandResponse: .commandResponse
        case .commandUnknown: .commandUnknown
        case .eventRegister: .eventRegister
        case .eventUnregister: .eventUnregister
        case .eventConfirm: .eventConfirm
        case .eventUnknown: .eventUnknown
        case .event: .event
        }
    }
}

extension VICIPacket {
    /// Writes the whole segment: 32-bit big-endian length, packet type, optional name, optional message.
    package func encode(into buffer: inout ByteBuffer) throws(VICIError) {
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(UInt32(0))
        buffer.writeInteger(type.rawValue)
        switch self {
        case .commandRequest(let name, let message), .event(let name, let message):
            try buffer.writeVICIName(name)
            try message.encode(into: &buffer)
        case .commandResponse(let message):
            try message.encode(into: &buffer)
        case .eventRegister(let name), .eventUnregister(let name):
            try buffer.writeVICIName(name)
        case .commandUnknown, .eventConfirm, .eventUnknown:
            break
        }
        let length = buffer.writerIndex - lengthIndex - 4
        guard length <= VICIWire.maxSegmentLength else {
            buffer.moveWriterIndex(to: lengthIndex)
            throw .malformed("packet of \(length) bytes exceeds the \(VICIWire.maxSegmentLength) byte limit")
        }
        buffer.setInteger(UInt32(length), at: lengthIndex)
    }

    package func encoded() throws(VICIError) -> [UInt8] {
        var buffer = ByteBuffer()
        try encode(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    /// Decodes one segment's payload (without the length prefix).
    package init(decodingPayload payload: inout ByteBuffer) throws(VICIError) {
        guard let rawType = payload.readInteger(as: UInt8.self) else { throw .malformed("empty packet") }
        guard let type = PacketType(rawValue: rawType) else { throw .malformed("unknown packet type \(rawType)") }
        // Packets without a message may carry trailing bytes in a future protocol revision; they are ignored.
        switch type {
        case .commandRequest:
            let name = try payload.readVICIName()
            self = .commandRequest(command: name, message: try VICIMessage(decoding: &payload))
        case .commandResponse:
            self = .commandResponse(try VICIMessage(decoding: &payload))
        case .commandUnknown:
            self = .commandUnknown
        case .eventRegister:
            self = .eventRegister(try payload.readVICIName())
        case .eventUnregister:
            self = .eventUnregister(try payload.readVICIName())
        case .eventConfirm:
            self = .eventConfirm
        case .eventUnknown:
            self = .eventUnknown
        case .event:
            let name = try payload.readVICIName()
            self = .event(name: name, message: try VICIMessage(decoding: &payload))
        }
    }

    /// Decodes one whole segment (length prefix included); the bytes must hold exactly one packet.
    package init(decodingSegment bytes: [UInt8]) throws(VICIError) {
        var buffer = ByteBuffer(bytes: bytes)
        guard let length = buffer.readInteger(endianness: .big, as: UInt32.self) else {
            throw .malformed("truncated length")
        }
        guard length <= VICIWire.maxSegmentLength else {
            throw .malformed("segment of \(length) bytes exceeds the \(VICIWire.maxSegmentLength) byte limit")
        }
        guard var payload = buffer.readSlice(length: Int(length)), buffer.readableBytes == 0 else {
            throw .malformed("segment length \(length) does not match \(bytes.count - 4) payload bytes")
        }
        try self.init(decodingPayload: &payload)
    }
}
