/// Values that travel as their text form (`192.0.2.1`, `10.0.0.0/24`) rather than as their parts: what the agent
/// protocol and every other reader of the wire expect.
package protocol CodableAsText: Codable, CustomStringConvertible {
    static func parse(_ text: String) -> Self?
}

extension CodableAsText {
    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a \(Self.self): \(text)"))
        }
        self = value
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
