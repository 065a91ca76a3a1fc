/// Pure address arithmetic for subnets: default gateway and pools, pool validation, allocation.
extension Subnet {
    /// Neutron's default gateway: the first host of an IPv4 network, the subnet-router anycast
    /// address (`prefix::`) of an IPv6 network.
    package static func defaultGateway(for cidr: CIDR) -> IPAddress? {
        let net = cidr.normalized
        if net.version == 6 { return net.network }
        guard net.size > 2 else { return nil }
        return net.network.sameFamily(net.network.value + 1)
    }

    /// The whole usable range of the network: IPv4 without network and broadcast addresses,
    /// IPv6 without the subnet-router anycast address.
    package static func usableRange(of cidr: CIDR) -> AllocationPool? {
        let net = cidr.normalized
        let first = net.network.value
        let last = net.last.value
        if net.version == 4 {
            if net.prefixLength >= 31 { return AllocationPool(start: net.network, end: net.last) }
            return AllocationPool(start: net.network.sameFamily(first + 1), end: net.network.sameFamily(last - 1))
        }
        guard last > first else { return nil }
        return AllocationPool(start: net.network.sameFamily(first + 1), end: net.last)
    }

    /// Default pools: the usable range, split around the gateway.
    package static func defaultPools(for cidr: CIDR, gateway: IPAddress?) -> [AllocationPool] {
        guard let range = usableRange(of: cidr) else { return [] }
        guard let gw = gateway, range.contains(gw) else { return [range] }
        var pools: [AllocationPool] = []
        if gw.value > range.start.value {
            pools.append(AllocationPool(start: range.start, end: gw.sameFamily(gw.value - 1)))
        }
        if gw.value < range.end.value {
            pools.append(AllocationPool(start: gw.sameFamily(gw.value + 1), end: range.end))
        }
        return pools
    }

    /// Checks user-given pools against the subnet: same family, inside the CIDR, ordered, disjoint,
    /// and not containing the gateway. Errors are Neutron's.
    package static func validatePools(_ pools: [AllocationPool], cidr: CIDR, gateway: IPAddress?) throws(VPNaaSError) {
        let net = cidr.normalized
        for pool in pools {
            guard pool.start.version == net.version, pool.end.version == net.version,
                pool.start.value <= pool.end.value
            else {
                throw .neutron(
                    status: 400, type: "InvalidAllocationPool",
                    message: "The allocation pool \(pool) is not valid.")
            }
            guard net.contains(pool.start), net.contains(pool.end) else {
                throw .neutron(
                    status: 400, type: "OutOfBoundsAllocationPool",
                    message: "The allocation pool \(pool) spans beyond the subnet cidr \(net).")
            }
            if net.version == 4, net.prefixLength < 31, pool.start == net.network || pool.end == net.last {
                throw .neutron(
                    status: 400, type: "InvalidAllocationPool",
                    message: "The allocation pool \(pool) is not valid.")
            }
        }
        for (i, a) in pools.enumerated() {
            for b in pools[(i + 1)...] where a.overlaps(b) {
                throw .neutron(
                    status: 409, type: "OverlappingAllocationPools",
                    message: "Found overlapping allocation pools: \(a) and \(b) for subnet \(net).")
            }
        }
        if let gw = gateway, let pool = pools.first(where: { $0.contains(gw) }) {
            throw .neutron(
                status: 409, type: "GatewayConflictWithAllocationPools",
                message: "Gateway ip \(gw) conflicts with allocation pool \(pool)")
        }
    }

    /// The lowest address of the pools not in `used`.
    package static func firstFree(in pools: [AllocationPool], used: Set<IPAddress>) -> IPAddress? {
        for pool in pools {
            var candidate = pool.start.value
            // Bounded by the number of used addresses: each step past `used` is a hit.
            while candidate <= pool.end.value {
                let ip = pool.start.sameFamily(candidate)
                if !used.contains(ip) { return ip }
                if candidate == pool.end.value { break }
                candidate += 1
            }
        }
        return nil
    }

    /// The SLAAC address of a MAC on an IPv6 /64 (modified EUI-64, RFC 4291 appendix A).
    package static func eui64Address(prefix: CIDR, mac: String) -> IPAddress? {
        let octets = mac.split(separator: ":").compactMap { UInt8($0, radix: 16) }
        guard prefix.version == 6, octets.count == 6 else { return nil }
        let bytes: [UInt8] = [octets[0] ^ 0x02, octets[1], octets[2], 0xff, 0xfe, octets[3], octets[4], octets[5]]
        let iid = bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
        let net = prefix.normalized.network.value
        return .v6(net | (iid & ((UInt128(1) << 64) - 1)))
    }
}

/// MAC addresses in Neutron's default base `fa:16:3e`.
package enum MACAddress {
    package static func random(using generator: inout some RandomNumberGenerator) -> String {
        let tail = (0..<3).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return (["fa", "16", "3e"] + tail.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }).joined(separator: ":")
    }

    /// Lower-cased colon form when `text` is a unicast MAC, nil otherwise.
    package static func normalized(_ text: String) -> String? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6,
            parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isHexDigit && $0.isASCII } }),
            let first = UInt8(parts[0], radix: 16), first & 1 == 0
        else { return nil }
        return parts.joined(separator: ":").lowercased()
    }
}
