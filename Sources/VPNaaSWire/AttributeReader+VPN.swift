import VPNaaSDomain

/// Readers for the dict-valued VPN attributes (`lifetime`, `dpd`) and other VPN-specific shapes.
extension AttributeReader {
    /// A dict with only `allowed` keys, or nil when absent or null.
    func dict(_ key: String, allowed: Set<String>) throws(VPNaaSError) -> JSONObject? {
        guard let value = attributes[key], value != .null else { return nil }
        guard case .object(let o) = value else {
            throw .invalidAttribute(key, reason: "'\(value.pythonRepr)' is not a dictionary")
        }
        let unexpected = o.keys.filter { !allowed.contains($0) }
        if !unexpected.isEmpty {
            throw .invalidAttribute(key, reason: "Unexpected keys supplied: \(unexpected.sorted().joined(separator: ", "))")
        }
        return o
    }

    /// `lifetime`: `{units: seconds, value: ≥60}`, either key optional.
    func lifetime() throws(VPNaaSError) -> Lifetime.Input? {
        guard let o = try dict("lifetime", allowed: ["units", "value"]) else { return nil }
        var input = Lifetime.Input()
        if let u = o["units"] {
            guard case .string(let s) = u, let units = Lifetime.Units(rawValue: s) else {
                throw .invalidAttribute("lifetime", reason: "\(u.pythonRepr) is not in valid_values.")
            }
            input.units = units
        }
        if let v = o["value"] {
            guard let n = AttributeReader.integer(v) else {
                throw .invalidAttribute("lifetime", reason: "'\(v.pythonRepr)' is not an integer")
            }
            guard n >= Lifetime.minimum else {
                throw .invalidAttribute("lifetime", reason: "'\(n)' is too small - must be at least '\(Lifetime.minimum)'.")
            }
            input.value = n
        }
        return input
    }

    /// `dpd`: `{action, interval ≥0, timeout ≥0}`, each key optional.
    func dpd() throws(VPNaaSError) -> IPsecSiteConnection.DPD.Input? {
        guard let o = try dict("dpd", allowed: ["action", "interval", "timeout"]) else { return nil }
        var input = IPsecSiteConnection.DPD.Input()
        if let a = o["action"] {
            guard case .string(let s) = a, let action = IPsecSiteConnection.DPD.Action(rawValue: s) else {
                throw .invalidAttribute("dpd", reason: "\(a.pythonRepr) is not in valid_values.")
            }
            input.action = action
        }
        for key in ["interval", "timeout"] {
            guard let v = o[key] else { continue }
            guard let n = AttributeReader.integer(v) else {
                throw .invalidAttribute("dpd", reason: "'\(v.pythonRepr)' is not an integer")
            }
            guard n >= 0 else { throw .invalidAttribute("dpd", reason: "'\(n)' should be non-negative.") }
            if key == "interval" { input.interval = n } else { input.timeout = n }
        }
        return input
    }

    /// A non-negative integer (`type:non_negative`); JSON strings holding one are accepted as the CLI sends them.
    func nonNegative(_ key: String) throws(VPNaaSError) -> Int? {
        guard let n = try int(key) else { return nil }
        guard n >= 0 else { throw .invalidAttribute(key, reason: "'\(n)' should be non-negative.") }
        return n
    }

    /// `peer_cidrs`: a list of CIDRs without duplicates, a bare CIDR string (as the CLI may send it), or null.
    func peerCIDRs() throws(VPNaaSError) -> [CIDR]? {
        guard let value = attributes["peer_cidrs"] else { return nil }
        let items: [JSONValue]
        switch value {
        case .null: return []
        case .string: items = [value]
        case .array(let a): items = a
        default: throw .invalidAttribute("peer_cidrs", reason: "'\(value.pythonRepr)' is not a list")
        }
        var out: [CIDR] = []
        var seen: [String] = []
        for item in items {
            guard case .string(let s) = item, s.contains("/"), let c = CIDR(s), c.isNormalized else {
                throw .invalidAttribute("peer_cidrs", reason: "'\(item.pythonRepr)' is not a valid IP subnet")
            }
            if seen.contains(s) { throw .invalidAttribute("peer_cidrs", reason: "Duplicate items in the list: '\(s)'") }
            seen.append(s)
            out.append(c)
        }
        return out
    }

    /// A list of strings; a bare string is a one-element list (`convert_to_list`).
    func stringList(_ key: String) throws(VPNaaSError) -> [String]? {
        guard let value = attributes[key] else { return nil }
        switch value {
        case .null: return []
        case .string(let s): return [s]
        case .array(let items):
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else {
                    throw .invalidAttribute(key, reason: "'\(item.pythonRepr)' is not a valid string")
                }
                out.append(s)
            }
            return out
        default: throw .invalidAttribute(key, reason: "'\(value.pythonRepr)' is not a list")
        }
    }
}

extension Lifetime {
    var wire: JSONValue { .object(["units": .string(units.rawValue), "value": .int(value)]) }
}

extension IPsecSiteConnection.DPD {
    var wire: JSONValue {
        .object(["action": .string(action.rawValue), "interval": .int(interval), "timeout": .int(timeout)])
    }
}

/// Keys every VPN resource shares.
enum VPNCommonAccess {
    static let base: [String: AttributeAccess] = [
        "id": .readOnly, "project_id": .postOnly, "tenant_id": .postOnly, "name": .postAndPut,
        "description": .postAndPut,
    ]

    static func with(_ extra: [String: AttributeAccess]) -> [String: AttributeAccess] {
        base.merging(extra) { _, new in new }
    }
}
