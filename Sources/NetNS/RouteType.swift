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
