/// A VICI message: the implicit root section of a tree of key/values, lists and sub-sections.
///
/// Keys keep their order, because charon gives order a meaning in some messages (e.g. the order of
/// `children`, of authentication rounds `local-1`/`local-2`, of proposals).
/// Keys are unique per section: setting an existing key replaces its value in place.
package struct VICIMessage: Sendable, Equatable {
    package private(set) var entries: [(String, VICIElement)]

    package init() { self.entries = [] }

    /// Later duplicates replace earlier ones (keeping the first position), as the protocol forbids duplicate keys.
    package init(_ entries: some Sequence<(String, VICIElement)>) {
        self.entries = []
        for (key, value) in entries { self[key] = value }
    }

    package var keys: [String] { entries.map(\.0) }
    package var isEmpty: Bool { entries.isEmpty }
    package var count: Int { entries.count }

    package subscript(key: String) -> VICIElement? {
        get { entries.first { $0.0 == key }?.1 }
        set {
            let index = entries.firstIndex { $0.0 == key }
            switch (index, newValue) {
            case (let index?, let value?): entries[index].1 = value
            case (let index?, nil): entries.remove(at: index)
            case (nil, let value?): entries.append((key, value))
            case (nil, nil): break
            }
        }
    }

    package func string(_ key: String) -> String? { self[key]?.stringValue }
    package func strings(_ key: String) -> [String]? { self[key]?.stringList }
    package func section(_ key: String) -> VICIMessage? { self[key]?.sectionValue }

    /// charon marks flags with "yes" and usually omits them otherwise (e.g. `up`, `initiator`).
    package func flag(_ key: String) -> Bool { string(key) == "yes" }

    /// Appends without looking for an existing key; the decoder uses it to keep the wire content as is.
    mutating func appendUnchecked(_ key: String, _ value: VICIElement) {
        entries.append((key, value))
    }

    package static func == (lhs: VICIMessage, rhs: VICIMessage) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}

extension VICIMessage: ExpressibleByDictionaryLiteral {
    package init(dictionaryLiteral elements: (String, VICIElement)...) {
        self.init(elements)
    }
}

extension VICIMessage: CustomStringConvertible {
    /// swanctl-like rendering for logs; values are shown as UTF-8 (lossy), which is what charon sends.
    /// It prints every value: never log `load-shared`/`load-key` requests with it.
    package var description: String {
        "{" + entries.map { key, value in "\(key)=\(Self.describe(value))" }.joined(separator: ", ") + "}"
    }

    private static func describe(_ element: VICIElement) -> String {
        switch element {
        case .value(let bytes): String(decoding: bytes, as: UTF8.self)
        case .list(let items): "[" + items.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ", ") + "]"
        case .section(let message): message.description
        }
    }
}
