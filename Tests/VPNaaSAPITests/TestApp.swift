import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VPNaaSAPI
import VPNaaSStore
import VPNaaSWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Runs `body` against the real application (`buildApplication`) on a private in-memory database, or on a
/// scratch PostgreSQL database when `VPNAAS_TEST_API_DATABASE=postgres` (CI's `pg-api` stage).
func withTestApp(_ body: @escaping @Sendable (APIClient) async throws -> Void) async throws {
    let configuration = APIConfiguration(port: 0, authStrategy: .noauth, database: .sqliteInMemory)
    try await withTestStore { store in
        let app = try await buildApplication(configuration, store: store)
        try await app.test(.router) { client in try await body(APIClient(client: client)) }
    }
}

/// The store the API tests run on: nil (the configuration's in-memory SQLite) or a scratch PostgreSQL database.
func withTestStore<T: Sendable>(_ body: ((any Store)?) async throws -> T) async throws -> T {
    let environment = ProcessInfo.processInfo.environment
    guard environment["VPNAAS_TEST_API_DATABASE"] == "postgres" else {
        return try await body(nil)
    }
    guard let text = environment["VPNAAS_TEST_PG_URL"], case .postgres(let admin) = try DatabaseURL(parsing: text) else {
        throw APITestSetupError(description: "VPNAAS_TEST_API_DATABASE=postgres needs VPNAAS_TEST_PG_URL=postgresql://…")
    }
    return try await PostgresStore.withScratchDatabase(admin: admin) { store in try await body(store) }
}

struct APITestSetupError: Error, CustomStringConvertible {
    var description: String
}

/// The bootstrap admin's password in keystone-mode test apps.
let testAdminPassword = "test-admin-secret"

/// Runs `body` against the real application in `keystone` mode (embedded identity, tokens required),
/// with a known bootstrap password and a cheap KDF so tests stay fast.
func withKeystoneApp(_ body: @escaping @Sendable (APIClient) async throws -> Void) async throws {
    var configuration = APIConfiguration(port: 0, authStrategy: .keystone, database: .sqliteInMemory)
    configuration.identity.bootstrapPassword = testAdminPassword
    configuration.identity.passwordRounds = 1000
    try await withTestStore { store in
        let app = try await buildApplication(configuration, store: store)
        try await app.test(.router) { client in try await body(APIClient(client: client)) }
    }
}

/// A decoded answer.
struct Answer {
    var status: Int
    var headers: HTTPFields
    var json: JSONValue?

    subscript(_ key: String) -> JSONValue? { json?[key] }

    /// `NeutronError.type` of an error answer.
    var errorType: String? { json?["NeutronError"]?["type"]?.stringValue }
}

/// Small request helpers over Hummingbird's test client.
struct APIClient: Sendable {
    let client: any TestClientProtocol

    static let tenantA: HTTPFields = [HTTPField.Name("X-Project-Id")!: "project-a", HTTPField.Name("X-Roles")!: "member"]
    static let tenantB: HTTPFields = [HTTPField.Name("X-Project-Id")!: "project-b", HTTPField.Name("X-Roles")!: "member"]
    static let readerA: HTTPFields = [HTTPField.Name("X-Project-Id")!: "project-a", HTTPField.Name("X-Roles")!: "reader"]

    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, raw: String? = nil, headers: HTTPFields = [:]) async throws -> Answer {
        var headers = headers
        var body: ByteBuffer?
        if let raw {
            body = ByteBuffer(string: raw)
            headers[.contentType] = "application/json"
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            let bytes = Array(response.body.readableBytesView)
            #expect(response.status.code < 500, "server error for \(method) \(uri): \(String(decoding: bytes, as: UTF8.self))")
            if response.status.code != 204 {
                #expect(response.headers[.contentType] == "application/json")
            }
            let json = bytes.isEmpty ? nil : try? JSONValue.parse(bytes)
            return Answer(status: Int(response.status.code), headers: response.headers, json: json)
        }
    }

    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, _ body: JSONValue, headers: HTTPFields = [:]) async throws -> Answer {
        try await send(method, uri, raw: String(decoding: body.serialized(), as: UTF8.self), headers: headers)
    }

    /// POSTs and returns the new object's id, expecting 201.
    func create(_ path: String, _ key: String, _ attributes: JSONObject, headers: HTTPFields = [:]) async throws -> String {
        let answer = try await send(.post, path, .object([key: .object(attributes)]), headers: headers)
        #expect(answer.status == 201, "create \(path): \(String(describing: answer.json))")
        return try #require(answer[key]?["id"]?.stringValue)
    }
}

/// The walkthrough's networks, subnets and router (fixtures 01–07), as the admin.
struct Topology {
    var provider = ""
    var providerV4 = ""
    var providerV6 = ""
    var privateNet = ""
    var privateSubnet = ""
    var router = ""

    static func build(_ api: APIClient, tenant: HTTPFields = [:], admin: HTTPFields = [:]) async throws -> Topology {
        var t = Topology()
        t.provider = try await api.create(
            "/v2.0/networks", "network",
            ["name": .string("provider"), "router:external": .bool(true), "provider:network_type": .string("flat"),
             "provider:physical_network": .string("public")], headers: admin)
        t.providerV4 = try await api.create(
            "/v2.0/subnets", "subnet",
            ["name": .string("provider-v4"), "network_id": .string(t.provider), "ip_version": .int(4),
             "cidr": .string("192.0.2.0/24"), "gateway_ip": .string("192.0.2.1"), "enable_dhcp": .bool(false)], headers: admin)
        t.providerV6 = try await api.create(
            "/v2.0/subnets", "subnet",
            ["name": .string("provider-v6"), "network_id": .string(t.provider), "ip_version": .int(6),
             "cidr": .string("2001:db8:0:1::/64"), "enable_dhcp": .bool(false)], headers: admin)
        t.privateNet = try await api.create("/v2.0/networks", "network", ["name": .string("private")], headers: tenant)
        t.privateSubnet = try await api.create(
            "/v2.0/subnets", "subnet",
            ["name": .string("private-subnet"), "network_id": .string(t.privateNet), "ip_version": .int(6),
             "cidr": .string("2001:db8:1:33bc::/64"), "ipv6_ra_mode": .string("slaac"), "ipv6_address_mode": .string("slaac")],
            headers: tenant)
        t.router = try await api.create(
            "/v2.0/routers", "router",
            ["name": .string("router"), "external_gateway_info": .object(["network_id": .string(t.provider)])], headers: tenant)
        let added = try await api.send(
            .put, "/v2.0/routers/\(t.router)/add_router_interface", .object(["subnet_id": .string(t.privateSubnet)]),
            headers: tenant)
        #expect(added.status == 200)
        return t
    }
}
