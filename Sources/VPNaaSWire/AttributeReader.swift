import VPNaaSDomain

/// Whether an attribute may be given on create, on update, or never.
package enum AttributeAccess: Sendable {
    case postAndPut
    case postOnly
    case readOnly
}

/// Reads one resource's attributes out of a create or update body the way Neutron's API layer does:
/// envelope first, then unknown keys, then POST/PUT permissions and required keys, then each value.
package struct AttributeReader {
    package let resource: String
    package let isCreate: Bool
    package let attributes: JSONObject

    /// - Parameters:
    ///   - body: the parsed request body.
    ///   - resource: the envelope key (`network`, `ikepolicy`…).
    ///   - access: every attribute the resource knows, with when it may be written.
    ///   - required: attributes a create must carry.
    package init(
        body: JSONValue, resource: String, isCreate: Bool, access: [String: AttributeAccess], required: [String] = []
    ) throws(VPNaaSError) {
        self.resource = resource
        self.isCreate = isCreate
        guard case .object(let envelope) = body else {
            throw .badRequest("Body contains invalid data")
        }
        guard let inner = envelope[resource] else {
            throw .badRequest("Unable to find '\(resource)' in request body")
        }
        guard case .object(let attributes) = inner else {
            throw .badRequest("Invalid format: \(inner.quotedPythonRepr)")
        }
        let unknown = attributes.keys.filter { access[$0] == nil }
        if !unknown.isEmpty {
            throw .badRequest("Unrecognized attribute(s) '\(unknown.sorted().joined(separator: ", "))'")
        }
        for key in attributes.keys {
            switch (access[key]!, isCreate) {
            case (.readOnly, true): throw .badRequest("Attribute '\(key)' not allowed in POST")
            case (.readOnly, false), (.postOnly, false): throw .badRequest("Cannot update read-only attribute \(key)")
            default: break
            }
        }
        if isCreate {
            for key in required where attributes[key] == nil {
                throw .badRequest("Failed to parse request. Required attribute '\(key)' not specified")
            }
        }
        self.attributes = attributes
    }

    package func has(_ key: String) -> Bool { attributes[key] != nil }

    package func raw(_ key: String) -> JSONValue? { attributes[key] }

    /// A string of at most `maxLength` characters (Neutron's `type:string` / `type:name_string`).
    package func string(_ key: String, maxLength: Int? = 255) throws(VPNaaSError) -> String? {
        guard let value = attributes[key] else { return nil }
        guard case .string(let s) = value else {
            throw .invalidAttribute(key, reason: "'\(value.pythonRepr)' is not a valid string")
        }
        if let maxLength, s.count > maxLength {
            throw .invalidAttribute(key, reason: "'\(s)' exceeds maximum length of \(maxLength).")
        }
        return s
    }

    /// A string that may also be null.
    package func nullableString(_ key: String, maxLength: Int? = 255) throws(VPNaaSError) -> String?? {
        guard let value = attributes[key] else { return nil }
        if value == .null { return .some(nil) }
        return .some(try string(key, maxLength: maxLength))
    }

    /// Neutron's `convert_to_boolean`: JSON booleans, 0/1 and their string forms.
    package func bool(_ key: String) throws(VPNaaSError) -> Bool? {
        guard let value = attributes[key] else { return nil }
        if let b = AttributeReader.boolean(value) { return b }
        throw .invalidAttribute(key, reason: "'\(value.pythonRepr)' cannot be converted to boolean")
    }

    package static func boolean(_ value: JSONValue) -> Bool? {
        switch value {
        case .bool(let b): return b
        case .int(0): return false
        case .int(1): return true
        case .string(let s):
            switch s.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// Neutron's `convert_to_int`: integers, and strings holding one (the CLI sends `"mtu": "1400"`).
    package func int(_ key: String) throws(VPNaaSError) -> Int? {
        guard let value = attributes[key] else { return nil }
        if let i = AttributeReader.integer(value) { return i }
        throw .invalidAttribute(key, reason: "'\(value.pythonRepr)' is not an integer")
    }

    package static func integer(_ value: JSONValue) -> Int? {
        switch value {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 1e15: return Int(d)
        case .string(let s): return Int(s)
        default: return nil
        }
    }

    /// One of a fixed set of strings: "x is not in valid_values." otherwise.
    package func value<E: RawRepresentable>(_ key: String, of type: E.Type) throws(VPNaaSError) -> E?
    where E.RawValue == String {
        guard let value = attributes[key] else { return nil }
        guard case .string(let s) = value, let e = E(rawValue: s) else {
            throw .invalidAttribute(key, reason: "\(value.pythonRepr) is not in valid_values.")
        }
        return e
    }

    /// A UUID in canonical 8-4-4-4-12 hex form, lowercased.
    package func uuid(_ key: String) throws(VPNaaSError) -> String? {
        guard let value = attributes[key] else { return nil }
        guard case .string(let s) = value, UUIDText.isValid(s) else {
            throw .invalidAttribute(key, reason: "'\(value.pythonRepr)' is not a valid UUID")
        }
        return s.lowercased()
    }

    /// A UUID or null.
    package func nullableUUID(_ key: String) throws(VPNaaSError) -> String?? {
        guard let value = attributes[key] else { return nil }
        if value == .null { return .some(nil) }
        return .some(try uuid(key))
    }

    /// An IP address literal, or null when `nullable`.
    package func ip(_ key: String) throws(VPNaaSError) -> IPAddress?? {
        guard let value = attributes[key] else { return nil }
        if value == .null { return .some(nil) }
        guard case .string(let s) = value, let ip = IPAddress(s) else {
            throw .invalidAttribute(key, reason: "'\(value.pythonRepr)' is not a valid IP address")
        }
        return .some(ip)
    }

    /// A list, each element checked by `element`. With `nullAsEmpty`, null is the empty list: neutron-lib's
    /// `convert_none_to_empty_list`, which gophercloud relies on (it sends `"routes": null` on router updates).
    package func list<T>(_ key: String, nullAsEmpty: Bool = false, _ element: (JSONValue) throws(VPNaaSError) -> T)
        throws(VPNaaSError) -> [T]?
    {
        guard let value = attributes[key] else { return nil }
        if nullAsEmpty, value == .null { return [] }
        guard case .array(let items) = value else {
            throw .invalidAttribute(key, reason: "'\(value.pythonRepr)' is not a list")
        }
        var out: [T] = []
        for item in items { out.append(try element(item)) }
        return out
    }
}

/// UUID text checks without Foundation.
package enum UUIDText {
    package static func isValid(_ s: String) -> Bool {
        let groups = s.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy { $0.isHexDigit && $0.isASCII } }
    }
}
