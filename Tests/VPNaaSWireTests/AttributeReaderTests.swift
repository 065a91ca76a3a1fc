import Testing
import VPNaaSDomain
import VPNaaSWire

@Suite struct AttributeReaderTests {
    static let access: [String: AttributeAccess] = ["name": .postAndPut, "kind": .postOnly, "id": .readOnly]

    func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    func failure(_ body: String, isCreate: Bool = true) -> String? {
        do {
            _ = try AttributeReader(
                body: try parse(body), resource: "thing", isCreate: isCreate, access: Self.access, required: ["kind"])
            return nil
        } catch let error as VPNaaSError {
            return error.neutron.message
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        (#"{"thing": {"kind": "a"}}"#, true, nil),
        (#"{"other": {"kind": "a"}}"#, true, "Unable to find 'thing' in request body"),
        (#"{"thing": {"kind": "a", "colour": 1, "bad": 2}}"#, true, "Unrecognized attribute(s) 'bad, colour'"),
        (#"{"thing": {"kind": "a", "id": "x"}}"#, true, "Attribute 'id' not allowed in POST"),
        (#"{"thing": {"name": "a"}}"#, true, "Failed to parse request. Required attribute 'kind' not specified"),
        (#"{"thing": {"kind": "b"}}"#, false, "Cannot update read-only attribute kind"),
        (#"{"thing": {"name": "b"}}"#, false, nil),
        (#"[1, 2]"#, true, "Body contains invalid data"),
        (#"{"thing": "x"}"#, true, "Invalid format: 'x'"),
    ] as [(String, Bool, String?)])
    func structuralRules(body: String, isCreate: Bool, message: String?) {
        #expect(failure(body, isCreate: isCreate) == message)
    }

    @Test func typedGetters() throws {
        let body = try parse(#"{"t": {"s": "x", "b": "True", "i": "1400", "u": "AF92D713-D8D9-4F26-9B07-32A0F9199272", "ip": "2001:DB8::1"}}"#)
        let r = try AttributeReader(
            body: body, resource: "t", isCreate: true,
            access: ["s": .postOnly, "b": .postOnly, "i": .postOnly, "u": .postOnly, "ip": .postOnly])
        #expect(try r.string("s") == "x")
        #expect(try r.bool("b") == true)
        #expect(try r.int("i") == 1400)
        #expect(try r.uuid("u") == "af92d713-d8d9-4f26-9b07-32a0f9199272")
        #expect(try r.ip("ip") == .some(IPAddress("2001:db8::1")))
        #expect(try r.string("missing") == nil)
    }

    @Test(arguments: [
        (#"{"name": 5}"#, "Invalid input for name. Reason: '5' is not a valid string"),
        (#"{"name": "\#(String(repeating: "x", count: 256))"}"#, "exceeds maximum length of 255."),
        (#"{"flag": "maybe"}"#, "Invalid input for flag. Reason: 'maybe' cannot be converted to boolean"),
        (#"{"n": "twelve"}"#, "Invalid input for n. Reason: 'twelve' is not an integer"),
        (#"{"u": "not-a-uuid"}"#, "Invalid input for u. Reason: 'not-a-uuid' is not a valid UUID"),
    ])
    func valueErrors(inner: String, messagePart: String) throws {
        let body = try parse(#"{"t": \#(inner)}"#)
        let r = try AttributeReader(
            body: body, resource: "t", isCreate: true, access: ["name": .postOnly, "flag": .postOnly, "n": .postOnly, "u": .postOnly])
        do {
            _ = try r.string("name")
            _ = try r.bool("flag")
            _ = try r.int("n")
            _ = try r.uuid("u")
            Issue.record("expected a validation error")
        } catch {
            #expect(error.neutron.type == "HTTPBadRequest")
            #expect(error.neutron.message.contains(messagePart))
        }
    }

    @Test func malformedJSONIsNeutronsMalformedRequestBody() {
        #expect(throws: VPNaaSError.malformedBody) { try JSONValue.parse(Array(#"{"ikepolicy": {"name": "#.utf8)) }
    }

    @Test func jsonDistinguishesBooleansFromNumbers() throws {
        let v = try parse(#"{"a": true, "b": 1, "c": 1.5, "d": null, "e": "s"}"#)
        #expect(v["a"] == .bool(true))
        #expect(v["b"] == .int(1))
        #expect(v["c"] == .double(1.5))
        #expect(v["d"] == .null)
        #expect(v["e"] == .string("s"))
    }

    @Test func serializationEscapes() {
        let v = JSONValue.object(["k\"": .string("a\\b\n\u{01}é"), "n": .array([.int(1), .bool(false), .null])])
        #expect(String(decoding: v.serialized(), as: UTF8.self) == #"{"k\"": "a\\b\n\u0001é", "n": [1, false, null]}"#)
    }
}
