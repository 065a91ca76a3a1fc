import Testing
@testable import NetNS

@Suite struct IPJSONTests {
    @Test func namespaces() throws {
        #expect(try IPJSON.namespaces(IPFixtures.netnsList) == ["nstest-capa", "nstest-capb"])
        #expect(try IPJSON.namespaces("") == [])
    }

    @Test func linksWithDetails() throws {
        let links = try IPJSON.links(IPFixtures.linkDetails)
        #expect(links.map(\.name) == ["lo", "br-t", "va"])
        let bridge = try #require(links.first { $0.name == "br-t" })
        #expect(bridge.kind == "bridge")
        #expect(bridge.mac == "02:00:00:00:00:01")
        #expect(bridge.mtu == 1450)
        #expect(bridge.isUp)
        #expect(bridge.index == 2)
        let veth = try #require(links.first { $0.name == "va" })
        #expect(veth.kind == "veth")
        #expect(veth.master == "br-t")
        #expect(veth.peerNamespaceID == 0)
        #expect(veth.peerIndex == 2)
        #expect(links[0].kind == nil)
    }

    @Test func linksWithoutDetailsHaveNoKind() throws {
        let links = try IPJSON.links(IPFixtures.link)
        #expect(links.count == 3)
        #expect(links.allSatisfy { $0.kind == nil })
    }

    @Test func addresses() throws {
        let all = try IPJSON.addresses(IPFixtures.addr)
        #expect(all.map(\.cidr) == [
            "127.0.0.1/8", "::1/128", "10.9.0.1/24", "2001:db8:9::1/64", "fe80::ff:fe00:1/64", "fe80::5049:32ff:fef3:b0e8/64",
        ])
        let global6 = try #require(all.first { $0.address == "2001:db8:9::1" })
        #expect(global6 == InterfaceAddress(device: "br-t", family: .inet6, address: "2001:db8:9::1", prefixLength: 64,
                                            scope: "global", isTentative: false, isNoDAD: true))
        #expect(all.first { $0.address == "fe80::ff:fe00:1" }?.isTentative == true)
        #expect(try IPJSON.addresses(IPFixtures.addrDev).map(\.device) == ["br-t", "br-t", "br-t"])
    }

    @Test func routesIPv4AllTables() throws {
        let routes = try IPJSON.routes(IPFixtures.route4All, family: .inet)
        #expect(routes.count == 10)
        #expect(routes[0] == Route("10.52.0.0/16", via: "10.9.0.2", device: "br-t", table: "220", mtu: 1400, family: .inet))
        #expect(routes[1] == Route("default", via: "10.9.0.2", device: "br-t", metric: 100, family: .inet))
        #expect(routes[2] == Route("10.9.0.0/24", device: "br-t", source: "10.9.0.1", proto: "kernel", scope: "link"))
        #expect(routes[3] == Route("10.50.0.0/16", type: .blackhole))
        #expect(routes[4] == Route("10.51.0.0/16", type: .unreachable))
        #expect(routes[5].type == .local && routes[5].destination == "10.9.0.1/32" && routes[5].table == "local")
    }

    @Test func routesIPv6Main() throws {
        let routes = try IPJSON.routes(IPFixtures.route6Main, family: .inet6)
        let blackhole = try #require(routes.first { $0.type == .blackhole })
        #expect(blackhole == Route("2001:db8:50::/48", type: .blackhole, metric: 1024, family: .inet6))
        #expect(Route("2001:db8:50::/48", type: .blackhole).isSatisfied(by: blackhole))
        #expect(!Route("2001:db8:50::/48", type: .blackhole, table: "220").isSatisfied(by: blackhole))
        let defaultRoute = try #require(routes.first { $0.destination == "default" })
        #expect(defaultRoute.via == "2001:db8:9::2")
        #expect(defaultRoute.family == .inet6)
        #expect(try IPJSON.routes(IPFixtures.route4220, family: .inet).map(\.table) == [nil], "ip omits the table it was asked for")
        #expect(try IPJSON.routes(IPFixtures.route4220, family: .inet, table: "220").map(\.table) == ["220"])
        #expect(try IPJSON.routes(IPFixtures.route4Main, family: .inet, table: "main").allSatisfy { $0.table == nil })
        #expect(try IPJSON.routes(IPFixtures.route6All, family: .inet6).contains { $0.table == "local" })
    }

    @Test func rules() throws {
        let v4 = try IPJSON.rules(IPFixtures.rule4, family: .inet)
        #expect(v4 == [
            PolicyRule(family: .inet, priority: 0, table: "local"),
            PolicyRule(family: .inet, priority: 220, from: "10.9.0.0/24", table: "220"),
            PolicyRule(family: .inet, priority: 300, fwmark: "0x10", table: "100"),
            PolicyRule(family: .inet, priority: 32766, table: "main"),
            PolicyRule(family: .inet, priority: 32767, table: "default"),
        ])
        let v6 = try IPJSON.rules(IPFixtures.rule6, family: .inet6)
        #expect(v6[1] == PolicyRule(family: .inet6, priority: 221, to: "2001:db8:50::/48", table: "220"))
    }

    @Test func garbageIsAParseError() {
        #expect(throws: NetNSError.self) { try IPJSON.links("[{\"ifname\": 3}]") }
        #expect(throws: NetNSError.self) { try IPJSON.routes("[", family: .inet) }
    }
}
