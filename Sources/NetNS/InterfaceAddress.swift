/// An address on an interface as `ip -j addr show` reports it.
package struct InterfaceAddress: Sendable, Equatable, Hashable {
    package var device: String
    package var family: IPFamily
    package var address: String
    package var prefixLength: Int
    /// "global", "link", "host".
    package var scope: String?
    /// DAD still running: the address cannot be used as a source yet (pitfall 16).
    package var isTentative: Bool
    package var isNoDAD: Bool

    package init(
        device: String, family: IPFamily, address: String, prefixLength: Int,
        scope: String? = nil, isTentative: Bool = false, isNoDAD: Bool = false
    ) {
        self.device = device
        self.family = family
        self.address = address
        self.prefixLength = prefixLength
        self.scope = scope
        self.isTentative = isTentative
        self.isNoDAD = isNoDAD
    }

    /// "2001:db8::1/64" — the form `addAddress` takes.
    package var cidr: String { "\(address)/\(prefixLength)" }
}
