/// An IPv4 or IPv6 address, parsed and printed the way Neutron does (RFC 5952 for IPv6).
package enum IPAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    case v4(UInt32)
    case v6(UInt128)

    /// 4 or 6.
    package var version: Int {
        switch self {
        case .v4: 4
        case .v6: 6
        }
    }

    /// Bits in an address of this family.
    package var bitWidth: Int { version == 4 ? 32 : 128 }

    /// The address as an unsigned integer, widened to 128 bits.
    package var value: UInt128 {
        switch self {
        case .v4(let v): UInt128(v)
        case .v6(let v): v
        }
    }

    /// An address of the same family holding `value` (truncated to the family's width).
    package func sameFamily(_ value: UInt128) -> IPAddress {
        switch self {
        case .v4: .v4(UInt32(truncatingIfNeeded: value))
        case .v6: .v6(value)
        }
    }

    /// Parses a dotted-quad IPv4 or an IPv6 literal; nil when the text is neither.
    package init?(_ text: some StringProtocol) {
        if text.contains(":") {
            guard let v = IPAddress.parseV6(Substring(text)) else { return nil }
            self = .v6(v)
        } else {
            guard let v = IPAddress.parseV4(Substring(text)) else { return nil }
            self = .v4(v)
        }
    }

    package static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        (lhs.version, lhs.value) < (rhs.version, rhs.value)
    }

    package var description: String {
        switch self {
        case .v4(let v):
            return "\(v >> 24).\((v >> 16) & 0xff).\((v >> 8) & 0xff).\(v & 0xff)"
        case .v6(let v):
            return IPAddress.formatV6(v)
        }
    }

    static func parseV4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: UInt32 = 0
        for part in parts {
            // Leading zeros are refused: "010" is octal to some parsers and decimal to others.
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part == "0" || !part.hasPrefix("0"), let octet = UInt32(part), octet <= 255
            else { return nil }
            result = result << 8 | octet
        }
        return result
    }

    static func parseV6(_ text: Substring) -> UInt128? {
        guard !text.isEmpty, text.count <= 45 else { return nil }
        let halves = splitOnDoubleColon(String(text))
        guard halves.count <= 2 else { return nil }

        func groups(_ part: String, allowV4Tail: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if allowV4Tail, index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseV4(piece) else { return nil }
                    out.append(UInt16(v4 >> 16))
                    out.append(UInt16(v4 & 0xffff))
                    continue
                }
                guard !piece.isEmpty, piece.count <= 4, piece.allSatisfy({ $0.isHexDigit && $0.isASCII }),
                    let g = UInt16(piece, radix: 16)
                else { return nil }
                out.append(g)
            }
            return out
        }

        var all: [UInt16]
        if halves.count == 2 {
            guard let head = groups(halves[0], allowV4Tail: false),
                let tail = groups(halves[1], allowV4Tail: true),
                head.count + tail.count <= 7
            else { return nil }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let g = groups(halves[0], allowV4Tail: true), g.count == 8 else { return nil }
            all = g
        }
        return all.reduce(UInt128(0)) { $0 << 16 | UInt128($1) }
    }

    private static func splitOnDoubleColon(_ s: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var previousColon = false
        for ch in s {
            if ch == ":" && previousColon {
                current.removeLast()
                parts.append(current)
                current = ""
                previousColon = false
                continue
            }
            current.append(ch)
            previousColon = ch == ":"
        }
        parts.append(current)
        return parts
    }

    static func formatV6(_ v: UInt128) -> String {
        let groups = (0..<8).map { UInt16(truncatingIfNeeded: v >> (112 - 16 * $0)) }
        // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on ties.
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index > bestLength {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            } else {
                index += 1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            range.map { String(groups[$0], radix: 16) }.joined(separator: ":")
        }
        if bestLength < 2 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }
}


/// As its text: how the agent protocol carries it.
extension IPAddress: CodableAsText {
    package static func parse(_ text: String) -> IPAddress? { IPAddress(text) }
}
