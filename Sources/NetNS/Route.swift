/// One route. Built by callers for `replaceRoute`/`deleteRoute` and produced by `routes(in:)`.
package struct Route: Sendable, Equatable, Hashable {
    package var family: IPFamily
    /// "default" or a CIDR; host routes are normalised to carry /32 or /128.
    package var destination: String
    package var type: RouteType
    package var via: String?
    package var device: String?
    /// nil = main table. Numeric ("220") or named ("local").
    package var table: String?
    package var metric: Int?
    /// Path MTU for the route (`mtu N`), used to honour a connection's MTU into the tunnel.
    package var mtu: Int?
    /// Preferred source (`src`), needed for traffic leaving towards a tunnel (pitfall 7).
    package var source: String?
    /// Routing protocol tag (`proto`): "kernel", "boot", "static", a number...; lets the agent tell its routes apart.
    package var proto: String?
    /// Read-only from parsing ("link", "host"); not sent when writing.
    package var scope: String?

    package init(
        _ destination: String, type: RouteType = .unicast, via: String? = nil, device: String? = nil,
        table: String? = nil, metric: Int? = nil, mtu: Int? = nil, source: String? = nil, proto: String? = nil,
        family: IPFamily? = nil, scope: String? = nil
    ) {
        self.destination = IPFamily.normalizedCIDR(destination)
        self.type = type
        self.via = via
        self.device = device
        self.table = (table == "main" || table == "254") ? nil : table
        self.metric = metric
        self.mtu = mtu
        self.source = source
        self.proto = proto
        self.scope = scope
        self.family = family ?? IPFamily.of(destination) ?? via.flatMap(IPFamily.of) ?? .inet
    }
}
