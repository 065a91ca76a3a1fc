/// An IP network in CIDR notation, e.g. `2001:db8:1:33bc::/64`.
package struct CIDR: Hashable, Sendable, CustomStringConvertible {
    /// The address as given (host bits may be set when parsed leniently).
    package let address: IPAddress
    package let prefixLength: Int

    package init?(address: IPAddress, prefixLength: Int) {
        guard prefixLength >= 0, prefixLength <= address.bitWidth else { return nil }
        self.address = address
        self.prefixLength = prefixLength
    }

    /// Parses `address/prefix`; a bare address is a host route (/32 or /128) as in netaddr.
    package init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let address = IPAddress(parts[0]) else { return nil }
        var prefix = address.bitWidth
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].count <= 3, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                let p = Int(parts[1])
            else { return nil }
            prefix = p
        }
        self.init(address: address, prefixLength: prefix)
    }

    package var version: Int { address.version }

    private var hostMask: UInt128 {
        let hostBits = address.bitWidth - prefixLength
        return hostBits == 0 ? 0 : (hostBits == 128 ? UInt128.max : (UInt128(1) << hostBits) - 1)
    }

    /// The first address of the network.
    package var network: IPAddress { address.sameFamily(address.value & ~hostMask) }
    /// The last address of the network (the IPv4 broadcast address).
    package var last: IPAddress { address.sameFamily((address.value & ~hostMask) | hostMask) }
    /// Number of addresses in the network, saturating at UInt128.max.
    package var size: UInt128 { hostMask == UInt128.max ? UInt128.max : hostMask + 1 }

    /// The same network with host bits cleared.
    package var normalized: CIDR { CIDR(address: network, prefixLength: prefixLength)! }
    /// True when no host bits are set.
    package var isNormalized: Bool { address == network }

    package func contains(_ ip: IPAddress) -> Bool {
        ip.version == version && (ip.value & ~hostMask) == network.value
    }

    package func overlaps(_ other: CIDR) -> Bool {
        version == other.version && (contains(other.network) || other.contains(network))
    }

    package var description: String { "\(address)/\(prefixLength)" }
}


/// As its text: how the agent protocol carries it.
extension CIDR: CodableAsText {
    package static func parse(_ text: String) -> CIDR? { CIDR(text) }
}
