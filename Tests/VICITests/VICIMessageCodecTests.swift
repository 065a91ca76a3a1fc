import Testing
@testable import VICI

@Suite struct VICIMessageCodecTests {
    /// The encoding example of strongSwan's vici README, byte for byte.
    static let readmeExample = bytes(
        3, 4, "key1", 0, 6, "value1",
        1, 8, "section1",
        1, 11, "sub-section",
        3, 4, "key2", 0, 6, "value2",
        2,
        4, 5, "list1",
        5, 0, 5, "item1",
        5, 0, 5, "item2",
        6,
        2
    )
    static let readmeMessage: VICIMessage = [
        "key1": "value1",
        "section1": [
            "sub-section": ["key2": "value2"],
            "list1": ["item1", "item2"],
        ],
    ]

    @Test func encodesReadmeExample() throws {
        #expect(try Self.readmeMessage.encoded() == Self.readmeExample)
    }

    @Test func decodesReadmeExample() throws {
        let message = try VICIMessage(decoding: Self.readmeExample)
        #expect(message == Self.readmeMessage)
        #expect(message.string("key1") == "value1")
        #expect(message.section("section1")?.section("sub-section")?.string("key2") == "value2")
        #expect(message.section("section1")?.strings("list1") == ["item1", "item2"])
        #expect(message.keys == ["key1", "section1"])
    }

    @Test func emptyValuesListsAndSections() throws {
        let message: VICIMessage = ["k": "", "l": [], "s": [:]]
        let golden = bytes(3, 1, "k", 0, 0, 4, 1, "l", 6, 1, 1, "s", 2)
        #expect(try message.encoded() == golden)
        #expect(try VICIMessage(decoding: golden) == message)
        #expect(try VICIMessage(decoding: []) == VICIMessage())
        #expect(try VICIMessage().encoded() == [])
    }

    @Test func literalsEncodeNumbersAndBooleansAsCharonDoes() throws {
        let message: VICIMessage = ["rekey_time": 3600, "mobike": false, "up": true]
        #expect(message.string("rekey_time") == "3600")
        #expect(message.string("mobike") == "no")
        #expect(message.flag("up"))
        #expect(!message.flag("mobike"))
        #expect(!message.flag("absent"))
        #expect(try message.encoded() == bytes(3, 10, "rekey_time", 0, 4, "3600", 3, 6, "mobike", 0, 2, "no", 3, 2, "up", 0, 3, "yes"))
    }

    @Test func rawBytesSurviveUnchanged() throws {
        let blob: [UInt8] = [0, 255, 1, 0x80, 0]
        let message: VICIMessage = ["data": .value(blob), "items": .list([blob, []])]
        let decoded = try VICIMessage(decoding: try message.encoded())
        #expect(decoded["data"] == .value(blob))
        #expect(decoded["items"] == .list([blob, []]))
    }

    @Test func keyOrderIsKeptAndMatters() throws {
        let message: VICIMessage = ["children": ["b-child": ["mode": "tunnel"], "a-child": ["mode": "transport"]], "a": "1"]
        #expect(message.keys == ["children", "a"])
        #expect(message.section("children")?.keys == ["b-child", "a-child"])
        let decoded = try VICIMessage(decoding: try message.encoded())
        #expect(decoded.section("children")?.keys == ["b-child", "a-child"])
        #expect(decoded.entries.map(\.0) == ["children", "a"])
        let swapped: VICIMessage = ["a": "1", "children": message["children"]!]
        #expect(swapped != message)
    }

    @Test func settingAKeyReplacesInPlaceAndNilRemoves() {
        var message: VICIMessage = ["a": "1", "b": "2", "a": "3"]
        #expect(message.keys == ["a", "b"])
        #expect(message.string("a") == "3")
        message["a"] = ["x"]
        #expect(message.keys == ["a", "b"])
        #expect(message.strings("a") == ["x"])
        message["a"] = nil
        #expect(message.keys == ["b"])
        message["c"] = .string("4")
        #expect(message.keys == ["b", "c"])
        #expect(message.string("c") == "4")
        #expect(message.strings("c") == nil)
        #expect(message.section("c") == nil)
    }

    @Test func roundTripsALoadConnRequest() throws {
        let request: VICIMessage = [
            "site-1": [
                "version": "2",
                "local_addrs": ["2001:db8::10"],
                "remote_addrs": ["2001:db8::20"],
                "proposals": ["aes256-sha256-modp2048", "aes128-sha256-modp2048"],
                "rekey_time": 3600,
                "local-1": ["auth": "psk", "id": "2001:db8::10"],
                "remote-1": ["auth": "psk", "id": "2001:db8::20"],
                "children": [
                    "site-1": [
                        "mode": "tunnel",
                        "local_ts": ["2001:db8:1:33bc::/64", "10.1.0.0/24"],
                        "remote_ts": ["2001:db8:1:33bd::/64"],
                        "esp_proposals": ["aes256-sha256-modp2048"],
                        "start_action": "trap|start",
                    ]
                ],
            ]
        ]
        let encoded = try request.encoded()
        let decoded = try VICIMessage(decoding: encoded)
        #expect(decoded == request)
        #expect(try decoded.encoded() == encoded)
    }

    // MARK: malformed input

    @Test(arguments: [
        (bytes(3, 4, "ke"), "truncated name"),
        (bytes(3), "truncated name length"),
        (bytes(3, 1, "k", 0), "truncated value length"),
        (bytes(3, 1, "k", 0, 5, "abc"), "truncated value"),
        (bytes(7, 1, "k"), "unknown element type 7"),
        (bytes(0), "unknown element type 0"),
        (bytes(5, 0, 1, "x"), "list item outside a list"),
        (bytes(2), "section end without section start"),
        (bytes(6), "list end without list start"),
        (bytes(1, 1, "s", 3, 1, "k", 0, 0), "unterminated section"),
        (bytes(4, 1, "l", 5, 0, 0), "unterminated list"),
        (bytes(4, 1, "l", 4, 1, "m", 6, 6), "element type 4 inside a list"),
        (bytes(4, 1, "l", 3, 1, "k", 0, 0, 6), "element type 3 inside a list"),
        (bytes(4, 1, "l", 1, 1, "s", 2, 6), "element type 1 inside a list"),
    ])
    func rejectsMalformedMessages(input: [UInt8], reason: String) {
        #expect(throws: VICIError.malformed(reason)) { try VICIMessage(decoding: input) }
    }

    @Test func everyStrictPrefixOfAMessageEndingInsideAnElementIsRejected() throws {
        let encoded = Self.readmeExample
        // Cut points on element boundaries give a valid (shorter) message only when no section is open,
        // and the example keeps "section1" open after byte 14, so every cut after it must fail.
        for cut in 1..<encoded.count where cut != 14 {
            #expect(throws: VICIError.self) { try VICIMessage(decoding: Array(encoded.prefix(cut))) }
        }
        #expect(try VICIMessage(decoding: Array(encoded.prefix(14))) == ["key1": "value1"])
    }

    @Test func rejectsHostileNesting() throws {
        let deep = Array(repeating: bytes(1, 1, "s"), count: VICIWire.maxDepth + 1).flatMap { $0 }
            + Array(repeating: 2, count: VICIWire.maxDepth + 1)
        #expect(throws: VICIError.malformed("sections nested deeper than 64")) { try VICIMessage(decoding: deep) }

        let allowed = Array(repeating: bytes(1, 1, "s"), count: VICIWire.maxDepth).flatMap { $0 }
            + Array(repeating: 2, count: VICIWire.maxDepth)
        #expect(try VICIMessage(decoding: allowed).section("s") != nil)
    }

    @Test func refusesToEncodeWhatTheFormatCannotCarry() {
        let longName = String(repeating: "n", count: 256)
        #expect(throws: VICIError.self) { try VICIMessage(dictionaryLiteral: (longName, "v")).encoded() }
        let longValue = VICIElement.value(Array(repeating: 0x61, count: 65536))
        #expect(throws: VICIError.self) { try VICIMessage(dictionaryLiteral: ("k", longValue)).encoded() }
        #expect(throws: VICIError.self) { try VICIMessage(dictionaryLiteral: ("k", .list([Array(repeating: 0, count: 65536)]))).encoded() }
        // The limits themselves are fine.
        #expect(throws: Never.self) {
            try VICIMessage(dictionaryLiteral: (String(repeating: "n", count: 255), .value(Array(repeating: 0, count: 65535)))).encoded()
        }
    }
}
