import NIOCore

/// Splits the byte stream into segments and decodes each into a `VICIPacket`.
package struct VICIPacketDecoder: ByteToMessageDecoder {
    package typealias InboundOut = VICIPacket

    package init() {}

    package mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return .needMoreData
        }
        // Reject before buffering: a bogus length must not make us wait for (and hold) gigabytes.
        guard length <= VICIWire.maxSegmentLength else {
            throw VICIError.malformed("segment of \(length) bytes exceeds the \(VICIWire.maxSegmentLength) byte limit")
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        var payload = buffer.readSlice(length: Int(length))!
        let packet = try VICIPacket(decodingPayload: &payload)
        context.fireChannelRead(Self.wrapInboundOut(packet))
        return .continue
    }

    package mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        // A partial segment at EOF is lost; the connection-closed path reports the failure to waiters.
        return .needMoreData
    }
}

/// Frames outgoing packets.
package struct VICIPacketEncoder: MessageToByteEncoder {
    package typealias OutboundIn = VICIPacket

    package init() {}

    package func encode(data: VICIPacket, out: inout ByteBuffer) throws {
        try data.encode(into: &out)
    }
}
