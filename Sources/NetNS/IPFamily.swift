package enum IPFamily: String, Sendable, Hashable, CaseIterable {
    case inet
    case inet6

    /// The `ip` option selecting this family (`-4`/`-6`).
    package var flag: String { self == .inet ? "-4" : "-6" }

    /// Family of an address or CIDR by its spelling; nil for "default"/"all" which are family-less.
    package static func of(_ address: String) -> IPFamily? {
        if address.contains(":") { return .inet6 }
        if address.first?.isNumber == true { return .inet }
        return nil
    }

    /// Host prefix length: `ip -j` prints host routes and rule selectors without "/32" or "/128".
    package var hostPrefixLength: Int { self == .inet ? 32 : 128 }
}

extension IPFamily {
    /// Adds the host prefix length when missing so parsed and caller-built CIDRs compare equal.
    package static func normalizedCIDR(_ text: String) -> String {
        guard text != "default", !text.contains("/"), let family = of(text) else { return text }
        return "\(text)/\(family.hostPrefixLength)"
    }
}
