import Testing
import VPNaaSDomain

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1"),
        ("0.0.0.0", "0.0.0.0"),
        ("2001:db8:0:1::", "2001:db8:0:1::"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:db8:0:1:0:0:0:2f7", "2001:db8:0:1::2f7"),
        ("::", "::"),
        ("::1", "::1"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ("1:0:0:2:0:0:3:4", "1::2:0:0:3:4"),
        ("::ffff:192.0.2.1", "::ffff:c000:201"),
        ("2001:db8:1:33bc:ffff:ffff:ffff:ffff", "2001:db8:1:33bc:ffff:ffff:ffff:ffff"),
    ])
    func parsesAndPrintsCanonically(input: String, canonical: String) throws {
        let ip = try #require(IPAddress(input))
        #expect(ip.description == canonical)
        #expect(IPAddress(canonical) == ip)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1::2::3", "2001:db8:::1", "12345::", "g::1", "1.2.3.4/24", " 1.2.3.4", "1:2:3:4:5:6:7:8:9"])
    func rejectsInvalid(input: String) {
        #expect(IPAddress(input) == nil)
    }

    @Test func ordersByFamilyThenValue() {
        #expect(IPAddress("10.0.0.1")! < IPAddress("10.0.0.2")!)
        #expect(IPAddress("255.255.255.255")! < IPAddress("::1")!)
    }
}

@Suite struct CIDRTests {
    @Test func networkArithmetic() throws {
        let c = try #require(CIDR("192.0.2.77/24"))
        #expect(!c.isNormalized)
        #expect(c.normalized.description == "192.0.2.0/24")
        #expect(c.last.description == "192.0.2.255")
        #expect(c.size == 256)
        #expect(c.contains(IPAddress("192.0.2.200")!))
        #expect(!c.contains(IPAddress("192.0.3.1")!))
        #expect(!c.contains(IPAddress("::1")!))
    }

    @Test(arguments: [
        ("10.0.0.0/8", "10.1.0.0/16", true),
        ("10.0.0.0/24", "10.0.1.0/24", false),
        ("2001:db8:1:33bc::/64", "2001:db8:1:33bd::/64", false),
        ("2001:db8::/32", "2001:db8:1:33bd::/64", true),
        ("10.0.0.0/8", "::/0", false),
    ])
    func overlaps(a: String, b: String, expected: Bool) {
        #expect(CIDR(a)!.overlaps(CIDR(b)!) == expected)
        #expect(CIDR(b)!.overlaps(CIDR(a)!) == expected)
    }

    @Test(arguments: ["10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/-1", "x/24", "10.0.0.0/2a"])
    func rejectsInvalid(input: String) {
        #expect(CIDR(input) == nil)
    }

    @Test func bareAddressIsHostRoute() {
        #expect(CIDR("2001:db8::1")?.prefixLength == 128)
        #expect(CIDR("192.0.2.1")?.prefixLength == 32)
    }
}
