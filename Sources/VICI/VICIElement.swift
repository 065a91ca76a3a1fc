/// One value in a VICI message tree.
///
/// VICI values are opaque byte blobs (charon only ever sends non-NUL-terminated strings, numbers included),
/// so the tree keeps raw bytes and offers string views on top.
package indirect enum VICIElement: Sendable, Equatable {
    case value([UInt8])
    /// Lists hold plain values only: the protocol forbids nested lists or sections in lists.
    case list([[UInt8]])
    case section(VICIMessage)
}

extension VICIElement {
    package static func string(_ string: String) -> VICIElement { .value(Array(string.utf8)) }

    package static func strings(_ strings: [String]) -> VICIElement { .list(strings.map { Array($0.utf8) }) }

    /// The value decoded as UTF-8, `nil` for lists and sections.
    package var stringValue: String? {
        guard case .value(let bytes) = self else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The list items decoded as UTF-8, `nil` for plain values and sections.
    package var stringList: [String]? {
        guard case .list(let items) = self else { return nil }
        return items.map { String(decoding: $0, as: UTF8.self) }
    }

    package var sectionValue: VICIMessage? {
        guard case .section(let message) = self else { return nil }
        return message
    }
}

// Literals keep request building close to swanctl.conf:
// ["version": "2", "rekey_time": 3600, "proposals": ["aes128-sha256-modp2048"], "local": ["auth": "psk"]]
extension VICIElement: ExpressibleByStringLiteral {
    package init(stringLiteral value: String) { self = .string(value) }
}

extension VICIElement: ExpressibleByIntegerLiteral {
    /// charon parses numbers from their decimal string form.
    package init(integerLiteral value: Int) { self = .string(String(value)) }
}

extension VICIElement: ExpressibleByBooleanLiteral {
    /// charon's boolean spelling in requests and responses.
    package init(booleanLiteral value: Bool) { self = .string(value ? "yes" : "no") }
}

extension VICIElement: ExpressibleByArrayLiteral {
    package init(arrayLiteral elements: String...) { self = .strings(elements) }
}

extension VICIElement: ExpressibleByDictionaryLiteral {
    package init(dictionaryLiteral elements: (String, VICIElement)...) {
        self = .section(VICIMessage(elements))
    }
}
