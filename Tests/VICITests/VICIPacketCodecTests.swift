import NIOCore
import NIOEmbedded
import Testing
@testable import VICI

@Suite struct VICIPacketCodecTests {
    static let goldenPackets: [(VICIPacket, [UInt8])] = [
        (.commandRequest(command: "version", message: [:]), bytes(0, 0, 0, 9, 0, 7, "version")),
        (
            .commandRequest(command: "unload-conn", message: ["name": "site"]),
            bytes(0, 0, 0, 25, 0, 11, "unload-conn", 3, 4, "name", 0, 4, "site")
        ),
        (.commandResponse(["success": "yes"]), bytes(0, 0, 0, 15, 1, 3, 7, "success", 0, 3, "yes")),
        (.commandResponse([:]), bytes(0, 0, 0, 1, 1)),
        (.commandUnknown, bytes(0, 0, 0, 1, 2)),
        (.eventRegister("ike-updown"), bytes(0, 0, 0, 12, 3, 10, "ike-updown")),
        (.eventUnregister("list-sa"), bytes(0, 0, 0, 9, 4, 7, "list-sa")),
        (.eventConfirm, bytes(0, 0, 0, 1, 5)),
        (.eventUnknown, bytes(0, 0, 0, 1, 6)),
        (
            .event(name: "child-updown", message: ["up": "yes", "c": ["child-sas": [:]]]),
            bytes(0, 0, 0, 39, 7, 12, "child-updown", 3, 2, "up", 0, 3, "yes", 1, 1, "c", 1, 9, "child-sas", 2, 2)
        ),
    ]

    @Test(arguments: goldenPackets)
    func encodesGoldenBytes(packet: VICIPacket, golden: [UInt8]) throws {
        #expect(try packet.encoded() == golden)
    }

    @Test(arguments: goldenPackets)
    func decodesGoldenBytes(packet: VICIPacket, golden: [UInt8]) throws {
        #expect(try VICIPacket(decodingSegment: golden) == packet)
    }

    @Test func rejectsMalformedPackets() {
        #expect(throws: VICIError.malformed("empty packet")) { try VICIPacket(decodingSegment: bytes(0, 0, 0, 0)) }
        #expect(throws: VICIError.malformed("unknown packet type 8")) { try VICIPacket(decodingSegment: bytes(0, 0, 0, 1, 8)) }
        #expect(throws: VICIError.malformed("truncated name")) { try VICIPacket(decodingSegment: bytes(0, 0, 0, 3, 7, 5, "x")) }
        #expect(throws: VICIError.malformed("truncated name length")) { try VICIPacket(decodingSegment: bytes(0, 0, 0, 1, 0)) }
        #expect(throws: VICIError.malformed("unknown element type 9")) {
            try VICIPacket(decodingSegment: bytes(0, 0, 0, 2, 1, 9))
        }
        #expect(throws: VICIError.self) { try VICIPacket(decodingSegment: bytes(0, 0, 0, 5, 1)) }
        #expect(throws: VICIError.self) { try VICIPacket(decodingSegment: bytes(0, 8, 0, 1, 1)) }
    }

    @Test func refusesToEncodeOversizePackets() throws {
        // 9 values of 64 KiB exceed the 512 KiB segment limit.
        let big = VICIElement.value(Array(repeating: 0x61, count: 65535))
        let message = VICIMessage((0..<9).map { ("k\($0)", big) })
        #expect(throws: VICIError.self) { try VICIPacket.commandRequest(command: "load-cert", message: message).encoded() }
        let fits = VICIMessage((0..<7).map { ("k\($0)", big) })
        #expect(try VICIPacket.commandRequest(command: "load-cert", message: fits).encoded().count > 7 * 65535)
    }

    // MARK: stream framing

    @Test func decoderReassemblesPacketsSplitAcrossReads() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(VICIPacketDecoder()))
        let stream = Self.goldenPackets.flatMap(\.1)
        for byte in stream {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        var received: [VICIPacket] = []
        while let packet = try channel.readInbound(as: VICIPacket.self) { received.append(packet) }
        #expect(received == Self.goldenPackets.map(\.0))
        #expect(try channel.finish().isClean)
    }

    @Test func decoderHandlesManyPacketsInOneRead() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(VICIPacketDecoder()))
        try channel.writeInbound(ByteBuffer(bytes: Self.goldenPackets.flatMap(\.1)))
        var received: [VICIPacket] = []
        while let packet = try channel.readInbound(as: VICIPacket.self) { received.append(packet) }
        #expect(received == Self.goldenPackets.map(\.0))
    }

    @Test func decoderRejectsOversizeLengthBeforeBuffering() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(VICIPacketDecoder()))
        // 512 KiB + 1, announced with no payload behind it: must fail at once, not wait for the bytes.
        #expect(throws: VICIError.malformed("segment of 524289 bytes exceeds the 524288 byte limit")) {
            try channel.writeInbound(ByteBuffer(bytes: [0, 8, 0, 1]))
        }
        _ = try? channel.finish()
    }

    @Test func decoderRejectsBadPacketType() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(VICIPacketDecoder()))
        #expect(throws: VICIError.malformed("unknown packet type 42")) {
            try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 1, 42]))
        }
        _ = try? channel.finish()
    }

    @Test func encoderFramesPackets() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(VICIPacketEncoder()))
        for (packet, golden) in Self.goldenPackets {
            try channel.writeOutbound(packet)
            let out = try #require(try channel.readOutbound(as: ByteBuffer.self))
            #expect(Array(out.readableBytesView) == golden)
        }
        #expect(try channel.finish().isClean)
    }
}
