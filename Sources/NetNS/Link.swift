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
