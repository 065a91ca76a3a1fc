import Testing
import VPNaaSDashboard
import VPNaaSWire

@Suite struct FormFieldTests {
    static let fields = [
        FormField("name", "Name"),
        FormField("description", "Description"),
        FormField("lifetime.value", "Lifetime", .number),
        FormField("lifetime.units", "Units", .choice(["seconds"])),
        FormField("ip_version", "IP version", .choice(["4", "6"])),
        FormField("psk", "PSK", .secret),
        FormField("peer_cidrs", "Peer CIDRs", .list),
        FormField("admin_state_up", "Up", .flag),
        FormField("router_id", "Router", .reference("routers"), onUpdate: false),
    ]

    @Test func createLeavesEmptyInputsToTheAPIDefaults() {
        let form = FormBody("name=left&description=&lifetime.value=7200&lifetime.units=seconds&ip_version=6&psk=&peer_cidrs=10.2.0.0%2F24%2C+10.3.0.0/24&admin_state_up.present=1&router_id=r1")
        let body = FormField.body(envelope: "x", fields: Self.fields, form: form, isCreate: true)
        let expected: JSONValue = .object([
            "x": .object([
                "name": .string("left"),
                "lifetime": .object(["value": .int(7200), "units": .string("seconds")]),
                "ip_version": .int(6),
                "peer_cidrs": .array([.string("10.2.0.0/24"), .string("10.3.0.0/24")]),
                "admin_state_up": .bool(false),
                "router_id": .string("r1"),
            ])
        ])
        #expect(body == expected)
    }

    @Test func updateSendsTypedTextKeepsAnEmptySecretAndSkipsCreateOnlyFields() {
        let form = FormBody("name=&description=now&psk=&admin_state_up.present=1&admin_state_up=true&router_id=r2")
        let body = FormField.body(envelope: "x", fields: Self.fields, form: form, isCreate: false)
        #expect(body == .object(["x": .object(["name": .string(""), "description": .string("now"), "admin_state_up": .bool(true)])]))
    }

    @Test func notANumberGoesToTheAPIAsTypedSoItsMessageIsShown() {
        let body = FormField.body(envelope: "x", fields: Self.fields, form: FormBody("lifetime.value=soon"), isCreate: true)
        #expect(body["x"]?["lifetime"]?["value"] == .string("soon"))
    }

    @Test func errorMessagesFindTheirField() {
        #expect(FormField.field(for: "Invalid input for psk. Reason: psk exceeds maximum length of 255.", in: Self.fields) == "psk")
        #expect(FormField.field(for: "Invalid input for lifetime. Reason: 'soon' is not an integer", in: Self.fields) == "lifetime.value")
        #expect(FormField.field(for: "Router r1 could not be found", in: Self.fields) == nil)
        #expect(FormField.field(for: "Invalid input for router_id. Reason: bad", in: Self.fields) == "router_id")
    }

    @Test func currentValuesComeFromTheAPIObject() {
        let object: JSONObject = ["lifetime": .object(["units": .string("seconds"), "value": .int(3600)]), "peer_cidrs": .array([.string("a"), .string("b")]), "admin_state_up": .bool(true)]
        #expect(Self.fields[2].current(in: object) == "3600")
        #expect(Self.fields[6].current(in: object) == "a, b")
        #expect(Self.fields[7].current(in: object) == "true")
        #expect(Self.fields[0].current(in: object) == nil)
    }
}
