/// A network interface as `ip -d -j link show` reports it.
package struct Link: Sendable, Equatable {
    package var name: String
    package var index: Int
    /// `linkinfo.info_kind`: "bridge", "veth", "tun", "dummy", ...; nil for loopback and physical NICs.
    package var kind: String?
    package var mac: String?
    package var mtu: Int
    /// Administratively up (the UP flag), not carrier: a veth whose peer is down is still `isUp`.
    package var isUp: Bool
    /// `operstate`: "UP", "DOWN", "LOWER_LAYER_DOWN", "UNKNOWN" (loopback, tun).
    package var operState: String?
    package var master: String?
    /// For a veth: the peer's ifindex, which is in another namespace when `peerNamespaceID` is set.
    package var peerIndex: Int?
    package var peerNamespaceID: Int?

    package init(
        name: String, index: Int, kind: String? = nil, mac: String? = nil, mtu: Int = 1500, isUp: Bool = false,
        operState: String? = nil, master: String? = nil, peerIndex: Int? = nil, peerNamespaceID: Int? = nil
    ) {
        self.name = name
        self.index = index
        self.kind = kind
        self.mac = mac
        self.mtu = mtu
        self.isUp = isUp
        self.operState = operState
        self.master = master
        self.peerIndex = peerIndex
        self.peerNamespaceID = peerNamespaceID
    }
}

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
