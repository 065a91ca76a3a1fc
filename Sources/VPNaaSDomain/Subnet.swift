/// A Neutron subnet: an IP range on a network, with its gateway and allocation pools.
package struct Subnet: Codable, Sendable, Equatable {
    package typealias ID = String

    package var id: ID
    package var projectID: String
    package var networkID: Network.ID
    package var name: String
    package var description: String
    package var cidr: CIDR
    package var gatewayIP: IPAddress?
    package var enableDHCP: Bool
    package var ipv6RAMode: IPv6Mode?
    package var ipv6AddressMode: IPv6Mode?
    package var allocationPools: [AllocationPool]
    package var dnsNameservers: [IPAddress]
    package var hostRoutes: [HostRoute]
    package var stamps: Stamps

    package init(
        id: ID, projectID: String, networkID: Network.ID, name: String, description: String, cidr: CIDR,
        gatewayIP: IPAddress?, enableDHCP: Bool, ipv6RAMode: IPv6Mode?, ipv6AddressMode: IPv6Mode?,
        allocationPools: [AllocationPool], dnsNameservers: [IPAddress], hostRoutes: [HostRoute], stamps: Stamps
    ) {
        self.id = id
        self.projectID = projectID
        self.networkID = networkID
        self.name = name
        self.description = description
        self.cidr = cidr
        self.gatewayIP = gatewayIP
        self.enableDHCP = enableDHCP
        self.ipv6RAMode = ipv6RAMode
        self.ipv6AddressMode = ipv6AddressMode
        self.allocationPools = allocationPools
        self.dnsNameservers = dnsNameservers
        self.hostRoutes = hostRoutes
        self.stamps = stamps
    }

    package var ipVersion: Int { cidr.version }

    /// Addresses on this subnet are derived from the port's MAC (EUI-64) instead of drawn from the pools.
    package var isAutoAddressed: Bool {
        ipv6AddressMode == .slaac || ipv6AddressMode == .dhcpv6Stateless
    }

    package enum IPv6Mode: String, Codable, Sendable, CaseIterable {
        case slaac
        case dhcpv6Stateful = "dhcpv6-stateful"
        case dhcpv6Stateless = "dhcpv6-stateless"
    }
}

/// An inclusive range of addresses a subnet hands out.
package struct AllocationPool: Codable, Sendable, Equatable, CustomStringConvertible {
    package var start: IPAddress
    package var end: IPAddress

    package init(start: IPAddress, end: IPAddress) {
        self.start = start
        self.end = end
    }

    package func contains(_ ip: IPAddress) -> Bool {
        ip.version == start.version && start.value <= ip.value && ip.value <= end.value
    }

    package func overlaps(_ other: AllocationPool) -> Bool {
        start.version == other.start.version && start.value <= other.end.value && other.start.value <= end.value
    }

    package var description: String { "\(start)-\(end)" }
}

/// A static route handed to instances of a subnet (or installed on a router).
package struct HostRoute: Codable, Sendable, Equatable {
    package var destination: CIDR
    package var nexthop: IPAddress

    package init(destination: CIDR, nexthop: IPAddress) {
        self.destination = destination
        self.nexthop = nexthop
    }
}
