import Testing
import VPNaaSDomain

@Suite struct SubnetAddressingTests {
    @Test func ipv4DefaultsMatchNeutron() throws {
        // Fixture 02: 192.0.2.0/24, gateway .1, pool .2–.254.
        let cidr = try #require(CIDR("192.0.2.0/24"))
        let gw = try #require(Subnet.defaultGateway(for: cidr))
        #expect(gw.description == "192.0.2.1")
        let pools = Subnet.defaultPools(for: cidr, gateway: gw)
        #expect(pools.map(\.description) == ["192.0.2.2-192.0.2.254"])
    }

    @Test func ipv6DefaultsMatchNeutron() throws {
        // Fixtures 03/05: gateway is the prefix itself, pool ::1 to the end.
        let cidr = try #require(CIDR("2001:db8:0:1::/64"))
        let gw = try #require(Subnet.defaultGateway(for: cidr))
        #expect(gw.description == "2001:db8:0:1::")
        let pools = Subnet.defaultPools(for: cidr, gateway: gw)
        #expect(pools.map(\.description) == ["2001:db8:0:1::1-2001:db8:0:1:ffff:ffff:ffff:ffff"])
    }

    @Test func gatewayInsideRangeSplitsPool() throws {
        let cidr = try #require(CIDR("10.0.0.0/29"))
        let pools = Subnet.defaultPools(for: cidr, gateway: IPAddress("10.0.0.3"))
        #expect(pools.map(\.description) == ["10.0.0.1-10.0.0.2", "10.0.0.4-10.0.0.6"])
    }

    @Test func noGatewayKeepsWholeRange() throws {
        let pools = Subnet.defaultPools(for: CIDR("10.0.0.0/30")!, gateway: nil)
        #expect(pools.map(\.description) == ["10.0.0.1-10.0.0.2"])
    }

    @Test(arguments: [
        (["10.0.0.2-10.0.0.9"], "10.0.0.1", nil),
        (["10.0.1.2-10.0.1.9"], "10.0.0.1", "OutOfBoundsAllocationPool"),
        (["10.0.0.9-10.0.0.2"], "10.0.0.1", "InvalidAllocationPool"),
        (["10.0.0.0-10.0.0.9"], "10.0.0.1", "InvalidAllocationPool"),
        (["10.0.0.2-10.0.0.9", "10.0.0.9-10.0.0.20"], "10.0.0.1", "OverlappingAllocationPools"),
        (["10.0.0.1-10.0.0.9"], "10.0.0.1", "GatewayConflictWithAllocationPools"),
    ] as [([String], String, String?)])
    func validatesPools(pools: [String], gateway: String, expectedType: String?) {
        let parsed = pools.map { text in
            let parts = text.split(separator: "-")
            return AllocationPool(start: IPAddress(parts[0])!, end: IPAddress(parts[1])!)
        }
        do {
            try Subnet.validatePools(parsed, cidr: CIDR("10.0.0.0/24")!, gateway: IPAddress(gateway))
            #expect(expectedType == nil)
        } catch {
            #expect(error.neutron.type == expectedType)
        }
    }

    @Test func firstFreeSkipsUsedAddresses() {
        let pools = [AllocationPool(start: IPAddress("10.0.0.2")!, end: IPAddress("10.0.0.4")!)]
        #expect(Subnet.firstFree(in: pools, used: [])?.description == "10.0.0.2")
        #expect(Subnet.firstFree(in: pools, used: [IPAddress("10.0.0.2")!])?.description == "10.0.0.3")
        #expect(Subnet.firstFree(in: pools, used: Set(["10.0.0.2", "10.0.0.3", "10.0.0.4"].map { IPAddress($0)! })) == nil)
    }

    @Test func eui64FromMAC() throws {
        let ip = Subnet.eui64Address(prefix: CIDR("2001:db8:1:33bc::/64")!, mac: "fa:16:3e:12:34:56")
        #expect(ip?.description == "2001:db8:1:33bc:f816:3eff:fe12:3456")
    }

    @Test func macAddresses() {
        var g = SystemRandomNumberGenerator()
        let mac = MACAddress.random(using: &g)
        #expect(mac.hasPrefix("fa:16:3e:"))
        #expect(MACAddress.normalized(mac) == mac)
        #expect(MACAddress.normalized("FA:16:3E:00:00:01") == "fa:16:3e:00:00:01")
        #expect(MACAddress.normalized("01:00:5e:00:00:01") == nil)  // multicast
        #expect(MACAddress.normalized("fa:16:3e:00:00") == nil)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (Int64(1_795_536_404), "2026-11-24T16:06:44Z"),
        (Int64(951_782_400), "2000-02-29T00:00:00Z"),
    ])
    func timestampsPrintLikeNeutron(seconds: Int64, text: String) {
        #expect(Timestamp(secondsSinceEpoch: seconds).description == text)
    }
}
