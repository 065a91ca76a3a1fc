/// Route type as iproute2 spells it; a struct so types this module does not know still round-trip.
package struct RouteType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    package var rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }

    package static let unicast = RouteType(rawValue: "unicast")
    package static let blackhole = RouteType(rawValue: "blackhole")
    package static let unreachable = RouteType(rawValue: "unreachable")
    package static let prohibit = RouteType(rawValue: "prohibit")
    package static let local = RouteType(rawValue: "local")
    package static let broadcast = RouteType(rawValue: "broadcast")
    package static let `throw` = RouteType(rawValue: "throw")

    package var description: String { rawValue }
}

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

/// One `ip rule`. Selectors left nil mean "any".
package struct PolicyRule: Sendable, Equatable, Hashable {
    package var family: IPFamily
    package var priority: Int?
    /// CIDR or nil for "all".
    package var from: String?
    package var to: String?
    /// "0x10" or "0x10/0xff".
    package var fwmark: String?
    package var inputInterface: String?
    package var outputInterface: String?
    /// The table to look up; nil for non-lookup actions.
    package var table: String?
    /// "unreachable", "blackhole", "prohibit" when the rule is an action rather than a lookup.
    package var action: String?

    package init(
        family: IPFamily, priority: Int? = nil, from: String? = nil, to: String? = nil, fwmark: String? = nil,
        inputInterface: String? = nil, outputInterface: String? = nil, table: String? = nil, action: String? = nil
    ) {
        self.family = family
        self.priority = priority
        self.from = from.map(IPFamily.normalizedCIDR)
        self.to = to.map(IPFamily.normalizedCIDR)
        self.fwmark = fwmark
        self.inputInterface = inputInterface
        self.outputInterface = outputInterface
        self.table = table
        self.action = action
    }
}
