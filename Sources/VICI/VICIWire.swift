import NIOCore

/// Limits and element codes of the VICI wire format (strongSwan src/libcharon/plugins/vici/README.md).
package enum VICIWire {
    /// charon refuses segments above this (VICI_MESSAGE_SIZE_MAX); it bounds what we buffer, too.
    package static let maxSegmentLength = 512 * 1024
    package static let maxNameLength = Int(UInt8.max)
    package static let maxValueLength = Int(UInt16.max)
    /// charon never nests deeply; the cap keeps recursive code over decoded trees (==, encode, deinit)
    /// far away from the stack limit when a peer sends a pathological message.
    package static let maxDepth = 64

    enum ElementType: UInt8 {
        case sectionStart = 1
        case sectionEnd = 2
        case keyValue = 3
        case listStart = 4
        case listItem = 5
        case listEnd = 6
    }
}

extension ByteBuffer {
    /// Writes an 8-bit length prefixed name.
    mutating func writeVICIName(_ name: String) throws(VICIError) {
        let bytes = Array(name.utf8)
        guard bytes.count <= VICIWire.maxNameLength else {
            throw .malformed("name longer than \(VICIWire.maxNameLength) bytes: \(name.prefix(40))…")
        }
        writeInteger(UInt8(bytes.count))
        writeBytes(bytes)
    }

    /// Writes a 16-bit big-endian length prefixed value.
    mutating func writeVICIValue(_ value: [UInt8]) throws(VICIError) {
        guard value.count <= VICIWire.maxValueLength else {
            throw .malformed("value longer than \(VICIWire.maxValueLength) bytes")
        }
        writeInteger(UInt16(value.count), endianness: .big)
        writeBytes(value)
    }

    mutating func readVICIName() throws(VICIError) -> String {
        guard let length = readInteger(as: UInt8.self) else { throw .malformed("truncated name length") }
        guard let bytes = readBytes(length: Int(length)) else { throw .malformed("truncated name") }
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func readVICIValue() throws(VICIError) -> [UInt8] {
        guard let length = readInteger(endianness: .big, as: UInt16.self) else {
            throw .malformed("truncated value length")
        }
        guard let bytes = readBytes(length: Int(length)) else { throw .malformed("truncated value") }
        return bytes
    }
}
