import Foundation
import VPNaaSWire

/// One input of a resource form, keyed by the Neutron attribute it fills (`lifetime.value` fills a nested
/// object). Forms post plain strings; `FormField.body` turns them into the JSON body the API parser reads,
/// so the dashboard gets exactly the CLI's validation and messages.
package struct FormField: Sendable {
    package enum Kind: Sendable, Equatable {
        case text, number, secret, textarea
        /// A select of fixed values.
        case choice([String])
        /// A select of the project's objects from another page (by its slug).
        case reference(String)
        /// Several of them (endpoint group members).
        case references(String)
        /// A checkbox: true when ticked.
        case flag
        /// Values separated by commas, spaces or new lines (CIDRs, endpoints).
        case list
    }

    package var key: String
    package var label: String
    package var kind: Kind
    package var hint: String?
    package var defaultValue: String?
    package var required: Bool
    package var onCreate: Bool
    package var onUpdate: Bool
    /// Only admins may send it (Neutron's policy refuses the attribute itself, even at its default).
    package var adminOnly: Bool

    package init(
        _ key: String, _ label: String, _ kind: Kind = .text, hint: String? = nil, default defaultValue: String? = nil,
        required: Bool = false, onCreate: Bool = true, onUpdate: Bool = true, adminOnly: Bool = false
    ) {
        self.adminOnly = adminOnly
        self.key = key
        self.label = label
        self.kind = kind
        self.hint = hint
        self.defaultValue = defaultValue
        self.required = required
        self.onCreate = onCreate
        self.onUpdate = onUpdate
    }

    /// The HTML id of the input.
    package var inputID: String { "f-" + key.replacingOccurrences(of: ".", with: "-") }

    /// The request body `{"<envelope>": {...}}` for a submitted form. Empty inputs are left out on create
    /// (the API applies its defaults); on update, text fields are sent as typed (empty clears them) and an
    /// empty secret keeps the current one.
    package static func body(envelope: String, fields: [FormField], form: FormBody, isCreate: Bool) -> JSONValue {
        var attributes = JSONObject()
        for field in fields where isCreate ? field.onCreate : field.onUpdate {
            guard let value = field.value(in: form, isCreate: isCreate) else { continue }
            let path = field.key.split(separator: ".").map(String.init)
            attributes.set(path, value)
        }
        return .object([envelope: .object(attributes)])
    }

    func value(in form: FormBody, isCreate: Bool) -> JSONValue? {
        let raw = form[key] ?? ""
        let text = raw.trimmingSpaces
        switch kind {
        case .text, .textarea:
            if form[key] == nil || (isCreate && text.isEmpty) { return nil }
            return .string(text)
        case .secret:
            return raw.isEmpty ? nil : .string(raw)
        case .number:
            if text.isEmpty { return nil }
            return Int(text).map(JSONValue.int) ?? .string(text)
        case .choice:
            // Numeric choices (ip_version) are numbers in the API.
            if text.isEmpty { return nil }
            return Int(text).map(JSONValue.int) ?? .string(text)
        case .reference:
            return text.isEmpty ? nil : .string(text)
        case .references:
            let values = form.all(key).filter { !$0.isEmpty }
            return values.isEmpty && isCreate ? nil : .array(values.map(JSONValue.string))
        case .flag:
            // A checkbox that is not ticked sends nothing; the hidden "present" marker says the form had it.
            guard form["\(key).present"] != nil || form[key] != nil else { return nil }
            return .bool(form[key] != nil)
        case .list:
            let items = FormField.splitList(raw)
            return items.isEmpty ? nil : .array(items.map(JSONValue.string))
        }
    }

    package static func splitList(_ s: String) -> [String] {
        s.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }).map(String.init)
    }

    /// The attribute an API error message is about, so the page shows it next to that input: the longest
    /// field key (or its first part) that the message names.
    package static func field(for message: String, in fields: [FormField]) -> String? {
        var best: (key: String, length: Int)?
        for field in fields {
            for candidate in [field.key, String(field.key.split(separator: ".")[0])] where message.contains(candidate) {
                if candidate.count > (best?.length ?? 0) { best = (field.key, candidate.count) }
            }
        }
        return best?.key
    }

    /// The current value of this field in an object as the API renders it, as a form would show it.
    package func current(in object: JSONObject) -> String? {
        var value: JSONValue = .object(object)
        for part in key.split(separator: ".") {
            guard let next = value[String(part)] else { return nil }
            value = next
        }
        switch value {
        case .null: return nil
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        case .array(let items): return items.compactMap(\.stringValue).joined(separator: kind == .list ? ", " : "\n")
        case .object: return nil
        }
    }
}

extension JSONObject {
    /// Sets a value at a nested key path, creating the objects on the way.
    mutating func set(_ path: [String], _ value: JSONValue) {
        guard let head = path.first else { return }
        if path.count == 1 {
            self[head] = value
            return
        }
        var inner = self[head]?.objectValue ?? JSONObject()
        inner.set(Array(path.dropFirst()), value)
        self[head] = .object(inner)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
