import Testing
@testable import NetNS

@Suite struct IPOperationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var operation: IPOperation
        var namespace: String?
        var argv: [String]
        var testDescription: String { argv.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(operation: .addBridge("br-int"), namespace: "qrouter-1",
             argv: ["ip", "-n", "qrouter-1", "link", "add", "br-int", "type", "bridge"]),
        Case(operation: .addBridge("br-int"), namespace: nil,
             argv: ["ip", "link", "add", "br-int", "type", "bridge"]),
        Case(operation: .addVethPair("qg-1", peer: "p-1", peerNamespace: "prov"), namespace: "qrouter-1",
             argv: ["ip", "-n", "qrouter-1", "link", "add", "qg-1", "type", "veth", "peer", "name", "p-1", "netns", "prov"]),
        Case(operation: .addVethPair("a", peer: "b", peerNamespace: nil), namespace: "ns",
             argv: ["ip", "-n", "ns", "link", "add", "a", "type", "veth", "peer", "name", "b"]),
        Case(operation: .setLink("qg-1", up: true), namespace: "ns",
             argv: ["ip", "-n", "ns", "link", "set", "dev", "qg-1", "up"]),
        Case(operation: .setLink("p-1", up: false, master: "br-ext", mac: "fa:16:3e:00:00:01", mtu: 1450), namespace: "ns",
             argv: ["ip", "-n", "ns", "link", "set", "dev", "p-1", "mtu", "1450", "address", "fa:16:3e:00:00:01",
                    "master", "br-ext", "down"]),
        Case(operation: .releaseLink("p-1"), namespace: "ns",
             argv: ["ip", "-n", "ns", "link", "set", "dev", "p-1", "nomaster"]),
        Case(operation: .moveLink("x", toNamespace: "other"), namespace: "ns",
             argv: ["ip", "-n", "ns", "link", "set", "dev", "x", "netns", "other"]),
        Case(operation: .deleteLink("x"), namespace: "ns",
             argv: ["ip", "-n", "ns", "link", "del", "dev", "x"]),
        Case(operation: .addAddress("2001:db8::10/64", device: "qg-1"), namespace: "ns",
             argv: ["ip", "-n", "ns", "address", "replace", "2001:db8::10/64", "dev", "qg-1", "nodad"]),
        Case(operation: .addAddress("2001:db8::10/64", device: "qg-1", noDAD: false), namespace: "ns",
             argv: ["ip", "-n", "ns", "address", "replace", "2001:db8::10/64", "dev", "qg-1"]),
        Case(operation: .addAddress("203.0.113.10/24", device: "qg-1"), namespace: "ns",
             argv: ["ip", "-n", "ns", "address", "replace", "203.0.113.10/24", "dev", "qg-1"]),
        Case(operation: .deleteAddress("203.0.113.10/24", device: "qg-1"), namespace: "ns",
             argv: ["ip", "-n", "ns", "address", "del", "203.0.113.10/24", "dev", "qg-1"]),
        Case(operation: .replaceRoute(Route("default", via: "203.0.113.1")), namespace: "ns",
             argv: ["ip", "-n", "ns", "-4", "route", "replace", "default", "via", "203.0.113.1"]),
        Case(operation: .replaceRoute(Route("default", via: "2001:db8::1", device: "qg-1")), namespace: "ns",
             argv: ["ip", "-n", "ns", "-6", "route", "replace", "default", "via", "2001:db8::1", "dev", "qg-1"]),
        Case(operation: .replaceRoute(Route("2001:db8:1:33bd::/64", type: .blackhole)), namespace: "ns",
             argv: ["ip", "-n", "ns", "-6", "route", "replace", "blackhole", "2001:db8:1:33bd::/64"]),
        Case(operation: .replaceRoute(Route("default", type: .unreachable, table: "300", family: .inet6)), namespace: "ns",
             argv: ["ip", "-n", "ns", "-6", "route", "replace", "unreachable", "default", "table", "300"]),
        Case(operation: .replaceRoute(Route("10.2.0.0/24", via: "10.1.0.2", device: "qr-1", table: "220", metric: 5,
                                            mtu: 1400, source: "10.1.0.1", proto: "static")), namespace: "ns",
             argv: ["ip", "-n", "ns", "-4", "route", "replace", "10.2.0.0/24", "via", "10.1.0.2", "dev", "qr-1",
                    "table", "220", "metric", "5", "src", "10.1.0.1", "proto", "static", "mtu", "1400"]),
        Case(operation: .deleteRoute(Route("10.2.0.0/24", type: .blackhole, table: "main", metric: 5, mtu: 1400)), namespace: "ns",
             argv: ["ip", "-n", "ns", "-4", "route", "del", "blackhole", "10.2.0.0/24", "metric", "5"]),
        Case(operation: .deleteRoute(Route("10.9.9.9", device: "lo")), namespace: nil,
             argv: ["ip", "-4", "route", "del", "10.9.9.9/32", "dev", "lo"]),
        Case(operation: .addRule(PolicyRule(family: .inet, priority: 220, table: "220")), namespace: "ns",
             argv: ["ip", "-n", "ns", "-4", "rule", "add", "priority", "220", "from", "all", "lookup", "220"]),
        Case(operation: .addRule(PolicyRule(family: .inet6, priority: 100, from: "2001:db8:1::/64", to: "2001:db8:2::/64",
                                           fwmark: "0x10/0xff", inputInterface: "qr-1", outputInterface: "qg-1", table: "5")),
             namespace: "ns",
             argv: ["ip", "-n", "ns", "-6", "rule", "add", "priority", "100", "from", "2001:db8:1::/64", "to", "2001:db8:2::/64",
                    "fwmark", "0x10/0xff", "iif", "qr-1", "oif", "qg-1", "lookup", "5"]),
        Case(operation: .deleteRule(PolicyRule(family: .inet, priority: 50, to: "10.2.0.0/16", action: "unreachable")), namespace: "ns",
             argv: ["ip", "-n", "ns", "-4", "rule", "del", "priority", "50", "from", "all", "to", "10.2.0.0/16", "unreachable"]),
    ]

    @Test(arguments: cases) func argv(_ c: Case) {
        let command = NetworkHost.command(for: c.operation, in: c.namespace)
        #expect(command.argv == c.argv)
        #expect(command.namespace == nil, "ip enters the namespace itself via -n")
        #expect(command.toleratesFailure)
    }

    @Test func tolerance() {
        #expect(IPOperation.addBridge("b").tolerates("RTNETLINK answers: File exists"))
        #expect(!IPOperation.addBridge("b").tolerates("RTNETLINK answers: Operation not permitted"))
        #expect(IPOperation.deleteLink("b").tolerates("Cannot find device \"b\""))
        #expect(IPOperation.deleteAddress("10.0.0.1/24", device: "x").tolerates("Error: ipv4: Address not found."))
        #expect(IPOperation.deleteAddress("2001:db8::1/64", device: "x").tolerates("RTNETLINK answers: Cannot assign requested address"))
        #expect(IPOperation.deleteRoute(Route("10.0.0.0/8")).tolerates("RTNETLINK answers: No such process"))
        #expect(IPOperation.addRule(PolicyRule(family: .inet, table: "1")).tolerates("RTNETLINK answers: File exists"))
        #expect(IPOperation.deleteRule(PolicyRule(family: .inet, table: "1")).tolerates("RTNETLINK answers: No such file or directory"))
        #expect(!IPOperation.replaceRoute(Route("10.0.0.0/8")).tolerates("RTNETLINK answers: File exists"))
        #expect(!IPOperation.setLink("x", up: true).tolerates("Cannot find device \"x\""))
    }

    @Test func routeNormalisation() {
        #expect(Route("10.0.0.1").destination == "10.0.0.1/32")
        #expect(Route("2001:db8::1").destination == "2001:db8::1/128")
        #expect(Route("default").family == .inet)
        #expect(Route("default", via: "2001:db8::1").family == .inet6)
        #expect(Route("10.0.0.0/8", table: "main").table == nil)
        #expect(PolicyRule(family: .inet, from: "10.0.0.1").from == "10.0.0.1/32")
    }
}
