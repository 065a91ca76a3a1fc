/// Random identifiers: UUIDv4 text and Neutron-style MACs.
package enum RandomID {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase UUIDv4 text (8-4-4-4-12). Two 64-bit draws (two getrandom calls, not sixteen) and
    /// one allocation: this runs for every request (X-Openstack-Request-Id) and every new object.
    package static func uuid() -> String {
        var g = SystemRandomNumberGenerator()
        var words = (g.next(), g.next())
        return withUnsafeBytes(of: &words) { raw in
            var out = [UInt8]()
            out.reserveCapacity(36)
            for i in 0..<16 {
                var byte = raw[i]
                if i == 6 { byte = byte & 0x0f | 0x40 }
                if i == 8 { byte = byte & 0x3f | 0x80 }
                if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0f)])
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
