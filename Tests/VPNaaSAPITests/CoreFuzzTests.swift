import HTTPTypes
import HummingbirdTesting
import Testing
import VPNaaSAPI
import VPNaaSWire

/// Throws mutated versions of valid bodies at the core API: whatever arrives, the answer is 2xx or 4xx.
@Suite struct CoreFuzzTests {
    /// A deterministic generator so a failure can be replayed from its seed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let oddValues: [JSONValue] = [
        .null, .bool(true), .bool(false), .int(-1), .int(0), .int(Int.max), .double(1e308), .string(""),
        .string("x"), .string(String(repeating: "é", count: 300)), .string("10.0.0.0/8"), .string("::/0"),
        .string("2001:db8::1"), .string("fa:16:3e:00:00:01"), .string("af92d713-d8d9-4f26-9b07-32a0f9199272"),
        .array([]), .array([.null]), .array([.object([:])]), .object([:]), .object(["network_id": .null]),
        .array([.object(["start": .string("10.0.0.9"), "end": .string("10.0.0.1")])]),
        .array([.object(["destination": .string("0.0.0.0/0"), "nexthop": .string("::1")])]),
        .array([.object(["subnet_id": .int(3), "ip_address": .string("300.1.1.1")])]),
    ]

    func mutate(_ object: JSONObject, _ g: inout SplitMix) -> JSONObject {
        var o = object
        let keys = o.keys
        switch Int.random(in: 0..<4, using: &g) {
        case 0 where !keys.isEmpty: o[keys.randomElement(using: &g)!] = Self.oddValues.randomElement(using: &g)!
        case 1 where !keys.isEmpty: o[keys.randomElement(using: &g)!] = nil
        case 2: o["extra_\(Int.random(in: 0..<3, using: &g))"] = Self.oddValues.randomElement(using: &g)!
        default:
            for key in keys where Bool.random(using: &g) { o[key] = Self.oddValues.randomElement(using: &g)! }
        }
        return o
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func mutatedBodiesNeverCauseServerErrors(seed: UInt64) async throws {
        try await withTestApp { api in
            var g = SplitMix(state: seed)
            let t = try await Topology.build(api)
            let templates: [(HTTPRequest.Method, String, String, JSONObject)] = [
                (.post, "/v2.0/networks", "network", ["name": .string("n"), "router:external": .bool(false), "mtu": .int(1400), "provider:network_type": .string("vxlan")]),
                (.post, "/v2.0/subnets", "subnet", ["network_id": .string(t.privateNet), "ip_version": .int(4), "cidr": .string("10.9.0.0/24"), "gateway_ip": .string("10.9.0.1"), "allocation_pools": .array([.object(["start": .string("10.9.0.10"), "end": .string("10.9.0.20")])]), "host_routes": .array([]), "dns_nameservers": .array([.string("192.0.2.53")])]),
                (.post, "/v2.0/routers", "router", ["name": .string("r"), "external_gateway_info": .object(["network_id": .string(t.provider), "enable_snat": .bool(true)])]),
                (.post, "/v2.0/ports", "port", ["network_id": .string(t.privateNet), "device_owner": .string("network:probe"), "fixed_ips": .array([.object(["subnet_id": .string(t.privateSubnet)])])]),
                (.put, "/v2.0/routers/\(t.router)", "router", ["external_gateway_info": .object(["network_id": .string(t.provider)]), "routes": .array([])]),
                (.put, "/v2.0/subnets/\(t.privateSubnet)", "subnet", ["gateway_ip": .string("2001:db8:1:33bc::1"), "name": .string("s")]),
                (.put, "/v2.0/networks/\(t.privateNet)", "network", ["mtu": .int(1400), "shared": .bool(true)]),
            ]
            for _ in 0..<120 {
                let (method, path, key, attributes) = templates.randomElement(using: &g)!
                var body: JSONValue = .object([key: .object(mutate(attributes, &g))])
                if Int.random(in: 0..<10, using: &g) == 0 { body = .object([key: Self.oddValues.randomElement(using: &g)!]) }
                let answer = try await api.send(method, path, body)
                #expect((200..<500).contains(answer.status), "seed \(seed): \(method) \(path) \(String(decoding: body.serialized(), as: UTF8.self))")
                if answer.status >= 400 { #expect(answer.errorType != nil) }
            }
            for path in ["/v2.0/ports/\u{00e9}", "/v2.0/networks?limit=0&marker=x", "/v2.0/networks?sort_key=", "/v2.0/routers/%00", "/v2.0/subnets?fields=&id="] {
                let answer = try await api.send(.get, path)
                #expect((200..<500).contains(answer.status), "\(path)")
            }
        }
    }
}
