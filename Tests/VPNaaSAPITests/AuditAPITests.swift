import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VPNaaSWire

/// The audit trail through the real application: every successful write recorded with who, what
/// and which request — attribute names only, never a PSK or password — readable by admins only.
@Suite struct AuditAPITests {
    static let requestID = HTTPField.Name("X-Openstack-Request-Id")!

    static func events(_ api: APIClient, _ query: String = "", headers: HTTPFields = [:]) async throws -> [JSONValue] {
        let answer = try await api.send(.get, "/v2.0/audit-events" + query, headers: headers)
        #expect(answer.status == 200, "\(String(describing: answer.json))")
        guard case .array(let items)? = answer["audit_events"] else { return [] }
        return items
    }

    @Test func walkthroughIsRecordedWithoutSecrets() async throws {
        try await withTestApp { api in
            let psk = "never-in-the-trail-4711"
            let w = try await Walkthrough.run(api.client, as: Caller(project: "project-a"), psk: psk)
            let tenant = APIClient.tenantA
            // Given an update, a failed write and a delete
            let update = try await api.send(
                .put, "/v2.0/vpn/endpoint-groups/\(w["peer"])",
                .object(["endpoint_group": .object(["description": .string("peers"), "name": .string("renamed")])]),
                headers: tenant)
            #expect(update.status == 200)
            let failed = try await api.send(.post, "/v2.0/routers", .object(["router": .object(["colour": .string("blue")])]), headers: tenant)
            #expect(failed.status == 400)
            let policy = try await api.create("/v2.0/vpn/ikepolicies", "ikepolicy", ["name": .string("spare")], headers: tenant)
            let deleted = try await api.send(.delete, "/v2.0/vpn/ikepolicies/\(policy)", headers: tenant)
            #expect(deleted.status == 204)

            // When the admin reads the trail
            let all = try await Self.events(api)
            let text = String(decoding: JSONValue.array(all).serialized(), as: UTF8.self)

            // Then every write is there, in order, and no secret is
            #expect(!text.contains(psk))
            #expect(!text.contains("secret"))
            let kinds = all.map { "\($0["action"]?.stringValue ?? "?") \($0["resource_type"]?.stringValue ?? "?")" }
            #expect(
                kinds == [
                    "create network", "create subnet", "create subnet", "create network", "create subnet", "create router",
                    "add_router_interface router", "create ikepolicy", "create ipsecpolicy", "create vpnservice",
                    "create endpoint_group", "create endpoint_group", "create ipsec_site_connection",
                    "update endpoint_group", "create ikepolicy", "delete ikepolicy",
                ])
            let create = try #require(all.first { $0["action"]?.stringValue == "create" && $0["resource_type"]?.stringValue == "ipsec_site_connection" })
            #expect(create["resource_id"]?.stringValue == w["conn"])
            #expect(create["project_id"]?.stringValue == "project-a")
            #expect(create["method"]?.stringValue == "POST")
            #expect(create["status"] == .int(201))
            #expect(create["attributes"] == .array(w.connectionBody(psk: psk).keys.sorted().map(JSONValue.string)))
            let changed = try #require(all.first { $0["action"]?.stringValue == "update" })
            #expect(changed["attributes"] == .array([.string("description"), .string("name")]))
            #expect(changed["resource_id"]?.stringValue == w["peer"])
            #expect(changed["request_id"]?.stringValue == update.headers[Self.requestID])
            let interface = try #require(all.first { $0["action"]?.stringValue == "add_router_interface" })
            #expect(interface["resource_id"]?.stringValue == w["router"])
            #expect(interface["attributes"] == .array([.string("subnet_id")]))
            #expect(all.last?["resource_id"]?.stringValue == policy)
            #expect(all.last?["status"] == .int(204))
        }
    }

    @Test func filtersPagingAndPolicy() async throws {
        try await withTestApp { api in
            let tenant = APIClient.tenantA
            let network = try await api.create("/v2.0/networks", "network", ["name": .string("n")], headers: tenant)
            for name in ["a", "b", "c"] {
                let renamed = try await api.send(
                    .put, "/v2.0/networks/\(network)", .object(["network": .object(["name": .string(name)])]), headers: tenant)
                #expect(renamed.status == 200)
            }
            _ = try await api.create("/v2.0/networks", "network", ["name": .string("other")], headers: APIClient.tenantB)

            let denied = try await api.send(.get, "/v2.0/audit-events", headers: tenant)
            #expect(denied.status == 403)
            #expect(denied.errorType == "PolicyNotAuthorized")
            #expect(try await Self.events(api, "?resource_id=\(network)").count == 4)
            #expect(try await Self.events(api, "?project_id=project-b").count == 1)
            #expect(try await Self.events(api, "?action=update&resource_type=network").count == 3)
            #expect(try await api.send(.get, "/v2.0/audit-events?colour=blue").status == 400)
            #expect(try await api.send(.get, "/v2.0/audit-events?limit=-1").status == 400)

            // Pages of two, following the links as a client would.
            let first = try await api.send(.get, "/v2.0/audit-events?resource_id=\(network)&limit=2")
            guard case .array(let page1)? = first["audit_events"], case .array(let links)? = first["audit_events_links"] else {
                Issue.record("no page or links: \(String(describing: first.json))")
                return
            }
            #expect(page1.count == 2)
            let next = try #require(links.first { $0["rel"]?.stringValue == "next" }?["href"]?.stringValue)
            #expect(next.contains("marker=\(page1[1]["id"]?.stringValue ?? "")"))
            let path = String(next[try #require(next.range(of: "/v2.0")).lowerBound...])
            let second = try await api.send(.get, path)
            guard case .array(let page2)? = second["audit_events"] else { Issue.record("no second page"); return }
            #expect(page2.count == 2)
            let firstIDs = Set(page1.compactMap { $0["id"]?.stringValue })
            let secondIDs = Set(page2.compactMap { $0["id"]?.stringValue })
            #expect(firstIDs.intersection(secondIDs).isEmpty)
            let newest = try await Self.events(api, "?resource_id=\(network)&sort_key=time&sort_dir=desc&limit=1&fields=attributes")
            #expect(newest.first == .object(["attributes": .array([.string("name")])]))
        }
    }

    @Test func identityWritesAreRecordedWithoutPasswords() async throws {
        try await withKeystoneApp { api in
            let admin = try await KeystoneAPITests.login(api, "admin", testAdminPassword, project: "admin")
            let (project, user) = try await KeystoneAPITests.tenant(api, admin: admin, "left")
            let all = try await Self.events(api, headers: KeystoneAPITests.auth(admin))
            let text = String(decoding: JSONValue.array(all).serialized(), as: UTF8.self)
            #expect(!text.contains("pw-left"))
            #expect(!text.contains(testAdminPassword))
            let kinds = all.map { "\($0["action"]?.stringValue ?? "?") \($0["resource_type"]?.stringValue ?? "?")" }
            #expect(kinds == ["create project", "create user", "create role_assignment"])
            #expect(all[0]["resource_id"]?.stringValue == project)
            #expect(all[1]["resource_id"]?.stringValue == user)
            #expect(all[1]["attributes"] == .array([.string("default_project_id"), .string("name"), .string("password")]))
            #expect(all[2]["resource_id"]?.stringValue?.hasPrefix("\(project):\(user):") == true)
            #expect(all.allSatisfy { $0["user_id"]?.stringValue?.isEmpty == false })
        }
    }
}
