/// A JSON document. Request bodies are parsed into it so that Neutron's attribute rules (unknown keys,
/// read-only keys, per-attribute messages) can be applied exactly; responses are built from it so that
/// `fields=`, filters and sorting work on the same keys the client sees.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    package subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    package var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    package var isArray: Bool {
        if case .array = self { return true }
        return false
    }

    package var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The value as Python would print it in a message (`'x'` for strings, `True`, `None`…), for
    /// Neutron-style reasons such as "'x' is not a valid UUID".
    package var pythonRepr: String {
        switch self {
        case .null: "None"
        case .bool(let b): b ? "True" : "False"
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s
        case .array(let a): "[" + a.map(\.quotedPythonRepr).joined(separator: ", ") + "]"
        case .object(let o): "{" + o.fields.map { "'\($0.key)': \($0.value.quotedPythonRepr)" }.joined(separator: ", ") + "}"
        }
    }

    var quotedPythonRepr: String {
        if case .string(let s) = self { return "'\(s)'" }
        return pythonRepr
    }
}

/// A JSON object that keeps its keys in insertion order (responses list keys as Neutron does).
package struct JSONObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    package struct Field: Sendable, Equatable {
        package var key: String
        package var value: JSONValue
    }

    package private(set) var fields: [Field]

    package init() { fields = [] }

    /// JSON objects are equal when they hold the same keys and values, in any order.
    package static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.fields.count == b.fields.count && a.fields.allSatisfy { b[$0.key] == $0.value }
    }

    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        fields = []
        for (k, v) in elements { self[k] = v }
    }

    package var keys: [String] { fields.map(\.key) }
    package var isEmpty: Bool { fields.isEmpty }

    package subscript(key: String) -> JSONValue? {
        get { fields.first { $0.key == key }?.value }
        set {
            if let index = fields.firstIndex(where: { $0.key == key }) {
                if let newValue { fields[index].value = newValue } else { fields.remove(at: index) }
            } else if let newValue {
                fields.append(Field(key: key, value: newValue))
            }
        }
    }

    /// Only the given keys, in this object's order.
    package func selecting(_ keys: Set<String>) -> JSONObject {
        var out = JSONObject()
        out.fields = fields.filter { keys.contains($0.key) }
        return out
    }
}
