import Testing
import VPNaaSDomain

/// V3–V13, V20 and our deviations, one row per rule, no I/O.
struct IPsecSiteConnectionValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let connection: IPsecSiteConnection
        let environment: ConnectionEnvironment
        let expected: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "fixture 13 walkthrough is valid", connection: Sample.connection(), environment: Sample.environment(), expected: nil),
        Case(
            name: "V3 legacy needs peer_cidrs", connection: Sample.connection(local: nil, peer: nil),
            environment: Sample.environment(legacy: true), expected: "MissingPeerCidrs"),
        Case(
            name: "V3 legacy refuses endpoint groups",
            connection: Sample.connection(local: "local", peer: nil, peerCIDRs: ["10.2.0.0/24"], peerAddress: "198.51.100.7"),
            environment: Sample.environment(legacy: true), expected: "InvalidEndpointGroup"),
        Case(
            name: "V3 legacy valid",
            connection: Sample.connection(local: nil, peer: nil, peerCIDRs: ["10.2.0.0/24"], peerAddress: "198.51.100.7"),
            environment: Sample.environment(legacy: true), expected: nil),
        Case(
            name: "V4 peer_cidrs with groups (fixture 58)", connection: Sample.connection(peerCIDRs: ["2001:db8:1:33bd::/64"]),
            environment: Sample.environment(), expected: "PeerCidrsInvalid"),
        Case(
            name: "V4 missing peer group (fixture 59)", connection: Sample.connection(peer: nil),
            environment: Sample.environment(), expected: "MissingRequiredEndpointGroup"),
        Case(
            name: "V4 missing local group", connection: Sample.connection(local: nil),
            environment: Sample.environment(), expected: "MissingRequiredEndpointGroup"),
        Case(
            name: "V5 local group must be subnet (fixture 60)", connection: Sample.connection(),
            environment: Sample.environment(local: Sample.group("local", .cidr, ["2001:db8:1:33bd::/64"])),
            expected: "WrongEndpointGroupType"),
        Case(
            name: "V5 peer group must be cidr", connection: Sample.connection(),
            environment: Sample.environment(peer: Sample.group("peer", .subnet, [Sample.v6Subnet])),
            expected: "WrongEndpointGroupType"),
        Case(
            name: "V6 local subnet must be on the router", connection: Sample.connection(),
            environment: Sample.environment(attached: []), expected: "SubnetIsNotConnectedToRouter"),
        Case(
            name: "V7 mixed local versions", connection: Sample.connection(),
            environment: Sample.environment(local: Sample.group("local", .subnet, [Sample.v6Subnet, Sample.v4Subnet])),
            expected: "MixedIPVersionsForIPSecEndpoints"),
        Case(
            name: "V7 mixed peer versions", connection: Sample.connection(),
            environment: Sample.environment(peer: Sample.group("peer", .cidr, ["2001:db8:1:33bd::/64", "10.2.0.0/24"])),
            expected: "MixedIPVersionsForIPSecEndpoints"),
        Case(
            name: "V7 mixed legacy peer_cidrs",
            connection: Sample.connection(local: nil, peer: nil, peerCIDRs: ["10.2.0.0/24", "2001:db8:9::/64"], peerAddress: "198.51.100.7"),
            environment: Sample.environment(legacy: true), expected: "MixedIPVersionsForPeerCidrs"),
        Case(
            name: "V8 v6 local vs v4 peer (fixture 51)", connection: Sample.connection(),
            environment: Sample.environment(peer: Sample.group("peer", .cidr, ["10.2.0.0/24"])),
            expected: "MixedIPVersionsForIPSecConnection"),
        Case(
            name: "deviation: peer CIDR overlaps local subnet", connection: Sample.connection(),
            environment: Sample.environment(peer: Sample.group("peer", .cidr, ["2001:db8:1::/48"])),
            expected: "PeerCidrsOverlapLocalSubnets"),
        Case(
            name: "deviation: legacy peer CIDR overlaps local subnet",
            connection: Sample.connection(local: nil, peer: nil, peerCIDRs: ["10.1.0.128/25"], peerAddress: "198.51.100.7"),
            environment: Sample.environment(legacy: true), expected: "PeerCidrsOverlapLocalSubnets"),
        Case(
            name: "V10 dpd timeout == interval (fixture 52)",
            connection: Sample.connection(dpd: .init(action: .hold, interval: 30, timeout: 30)),
            environment: Sample.environment(), expected: "IPsecSiteConnectionDpdIntervalValueError"),
        Case(
            name: "V10 dpd timeout < interval", connection: Sample.connection(dpd: .init(action: .hold, interval: 30, timeout: 10)),
            environment: Sample.environment(), expected: "IPsecSiteConnectionDpdIntervalValueError"),
        Case(
            name: "V11 mtu 1279 on IPv6 (fixture 54)", connection: Sample.connection(mtu: 1279),
            environment: Sample.environment(), expected: "IPsecSiteConnectionMtuError"),
        Case(
            name: "V11 mtu 1280 on IPv6 ok", connection: Sample.connection(mtu: 1280), environment: Sample.environment(),
            expected: nil),
        Case(
            name: "V11 mtu 67 on IPv4",
            connection: Sample.connection(local: nil, peer: nil, peerCIDRs: ["10.2.0.0/24"], peerAddress: "198.51.100.7", mtu: 67),
            environment: Sample.environment(legacy: true), expected: "IPsecSiteConnectionMtuError"),
        Case(
            name: "V11 mtu 68 on IPv4 ok",
            connection: Sample.connection(local: nil, peer: nil, peerCIDRs: ["10.2.0.0/24"], peerAddress: "198.51.100.7", mtu: 68),
            environment: Sample.environment(legacy: true), expected: nil),
        Case(
            name: "V12 malformed peer address", connection: Sample.connection(peerAddress: "not a host!"),
            environment: Sample.environment(), expected: "VPNPeerAddressNotResolved"),
        Case(
            name: "V12 host name accepted", connection: Sample.connection(peerAddress: "vpn.example.org"),
            environment: Sample.environment(), expected: nil),
        Case(
            name: "V13 IPv6 peer needs an IPv6 gateway address", connection: Sample.connection(),
            environment: Sample.environment(gateway: ["192.0.2.38"]), expected: "ExternalNetworkHasNoSubnet"),
        Case(
            name: "V20 ah-esp refused (fixture 62)", connection: Sample.connection(),
            environment: Sample.environment(transform: .ahESP), expected: "IpsecValidationFailure"),
        Case(
            name: "ah alone accepted", connection: Sample.connection(), environment: Sample.environment(transform: .ah),
            expected: nil),
        Case(
            name: "PSK must not be empty", connection: Sample.connection(psk: ""), environment: Sample.environment(),
            expected: "HTTPBadRequest"),
    ]

    @Test(arguments: cases)
    func rule(_ c: Case) {
        #expect(errorType { () throws(VPNaaSError) in try IPsecSiteConnection.validate(c.connection, in: c.environment) } == c.expected)
    }

    @Test func allConnectionRuleFailuresAre400() {
        for c in Self.cases where c.expected != nil {
            #expect(errorStatus { () throws(VPNaaSError) in try IPsecSiteConnection.validate(c.connection, in: c.environment) } == 400)
        }
    }

    @Test(arguments: [(67, 4, false), (68, 4, true), (1279, 6, false), (1280, 6, true), (9000, 6, true)])
    func mtuMinimum(_ mtu: Int, _ version: Int, _ ok: Bool) {
        #expect((errorType { () throws(VPNaaSError) in try IPsecSiteConnection.checkMTU(mtu, version: version) } == nil) == ok)
    }

    @Test(arguments: [
        ("vpn.example.org", true), ("a-b.c", true), ("-bad.example", false), ("", false), ("a..b", false),
        ("1.2.3.999", false), ("under_score.example", false),
    ])
    func hostNames(_ name: String, _ ok: Bool) {
        #expect(IPsecSiteConnection.isHostName(name) == ok)
    }
}
