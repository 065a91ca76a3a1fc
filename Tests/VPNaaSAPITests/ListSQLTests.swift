import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
import VPNaaSDomain
import VPNaaSStore

/// Lists answered from the store's SQL must be byte for byte today's answers (all rows filtered, sorted and paged
/// in Swift). One SQLite store serves two apps: the real one, and one whose store hides `ListStore` so every list
/// takes the Swift path; every query is asked of both, as admin and as two tenants.
struct ListSQLTests {
    /// Only `Store`: the use-cases cannot list in SQL through it.
    struct SwiftOnlyStore: Store {
        let base: SQLiteStore
        func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) async throws -> T) async throws -> T { try await base.read(body) }
        func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) async throws -> T) async throws -> T { try await base.write(body) }
    }

    /// The SQLite store, counting the lists it runs in SQL (so the comparison cannot pass with both apps in Swift).
    final class CountingStore: Store, ListStore {
        let base: SQLiteStore
        let lists = Mutex(0)
        init(base: SQLiteStore) { self.base = base }
        func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) async throws -> T) async throws -> T { try await base.read(body) }
        func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) async throws -> T) async throws -> T { try await base.write(body) }
        func count() { lists.withLock { $0 += 1 } }
        func ikePolicies(_ r: ListRequest) async throws -> ListPage<IKEPolicy> { count(); return try await base.ikePolicies(r) }
        func ipsecPolicies(_ r: ListRequest) async throws -> ListPage<IPsecPolicy> { count(); return try await base.ipsecPolicies(r) }
        func vpnServices(_ r: ListRequest) async throws -> ListPage<VPNService> { count(); return try await base.vpnServices(r) }
        func endpointGroups(_ r: ListRequest) async throws -> ListPage<EndpointGroup> { count(); return try await base.endpointGroups(r) }
        func ipsecSiteConnections(_ r: ListRequest) async throws -> ListPage<IPsecSiteConnection> {
            count()
            return try await base.ipsecSiteConnections(r)
        }
        func networks(_ r: ListRequest) async throws -> ListPage<Network> { count(); return try await base.networks(r) }
        func routers(_ r: ListRequest) async throws -> ListPage<VPNaaSDomain.Router> { count(); return try await base.routers(r) }
        func ports(_ r: ListRequest) async throws -> ListPage<VPNaaSDomain.Port> { count(); return try await base.ports(r) }
    }

    static let p1 = Caller(project: "p1")
    static let p2 = Caller(project: "p2")
    static let callers: [Caller] = [.admin, p1, p2]

    static func raw(_ c: some TestClientProtocol, _ path: String, as caller: Caller) async throws -> (Int, String) {
        var headers: HTTPFields = [:]
        if let project = caller.project {
            headers[HTTPField.Name("X-Project-Id")!] = project
            headers[HTTPField.Name("X-Roles")!] = caller.roles
        }
        return try await c.execute(uri: path, method: .get, headers: headers, body: nil) { response in
            (Int(response.status.code), String(buffer: response.body))
        }
    }

    /// Seeds through the SQL app: policies with duplicate, empty, address-like and non-ASCII names in three
    /// projects; the walkthrough as p1 plus services with and without subnet and admin state down.
    static func seed(_ c: some TestClientProtocol) async throws -> [String: String] {
        var ids: [String: String] = [:]
        let names = ["a", "b", "a", "", "10.0.0.1", "2001:db8::1", "2001:db8::0:1", "Zed", "été", "b", "a-b", "B"]
        for (i, name) in names.enumerated() {
            let caller = callers[i % 3]
            let r = try await c.call(
                .post, "/v2.0/vpn/ikepolicies",
                ["ikepolicy": ["name": name, "pfs": i % 2 == 0 ? "group5" : "group14", "ike_version": i % 4 < 2 ? "v1" : "v2"]],
                as: caller)
            #expect(r.status == 201)
            ids["ike\(i)"] = r.id("ikepolicy")
        }
        let w = try await Walkthrough.run(c, as: p1)
        let shared = try await c.call(.post, "/v2.0/networks", ["network": ["name": "shared", "shared": true]])
        #expect(shared.status == 201)
        for (k, v) in w.ids { ids[k] = v }
        let withSubnet = try await c.call(
            .post, "/v2.0/vpn/vpnservices", ["vpnservice": ["name": "vpn", "router_id": w["router"], "subnet_id": w["subnet"]]],
            as: p1)
        #expect(withSubnet.status == 201)
        ids["vpnSubnet"] = withSubnet.id("vpnservice")
        let down = try await c.call(
            .post, "/v2.0/vpn/vpnservices", ["vpnservice": ["name": "down", "router_id": w["router"], "admin_state_up": false]],
            as: p1)
        #expect(down.status == 201)
        ids["vpnDown"] = down.id("vpnservice")
        let legacy = try await c.call(
            .post, "/v2.0/vpn/ipsec-site-connections",
            ["ipsec_site_connection": [
                "name": "legacy", "vpnservice_id": ids["vpnSubnet"]!, "ikepolicy_id": w["ike"], "ipsecpolicy_id": w["ipsec"],
                "peer_address": "2001:db8::4:704", "peer_id": "2001:db8::4:704", "psk": "secret",
                "peer_cidrs": ["2001:db8:1:33be::/64"], "mtu": 1400,
            ]], as: p1)
        #expect(legacy.status == 201)
        return ids
    }

    static func queries(_ ids: [String: String]) -> [String] {
        let ike = "/v2.0/vpn/ikepolicies"
        let vpn = "/v2.0/vpn/vpnservices"
        let m = ids["ike4"]!, mOther = ids["ike5"]!, mDown = ids["vpnDown"]!, mSub = ids["vpnSubnet"]!
        var out = [
            "", "?name=a", "?name=a&name=b", "?name=", "?name=10.0.0.1", "?name=2001:db8::1", "?name=2001:db8:0::1",
            "?pfs=group5&ike_version=v2", "?sort_key=name&sort_dir=desc", "?sort_key=name&sort_dir=asc&sort_key=pfs&sort_dir=desc",
            "?sort_key=pfs&sort_key=name", "?sort_key=pfs&sort_dir=desc&sort_key=name&sort_dir=asc&limit=4",
            "?limit=3", "?limit=3&marker=\(m)", "?limit=3&marker=\(m)&page_reverse=True", "?limit=3&marker=\(mOther)",
            "?sort_key=name&sort_dir=desc&limit=4&marker=\(m)", "?sort_key=name&sort_dir=desc&limit=4&marker=\(m)&page_reverse=true",
            "?sort_key=name&sort_dir=desc&limit=10", "?marker=\(m)", "?marker=no-such-id", "?limit=3&fields=id&fields=name",
            "?lifetime=x", "?sort_key=lifetime&limit=2", "?name=a&sort_key=lifetime&sort_dir=desc", "?limit=0",
            "?tenant_id=p1", "?project_id=p2&sort_key=tenant_id&sort_dir=desc", "?id=\(m)", "?page_reverse=True&limit=5",
            "?sort_key=id&sort_dir=desc&limit=3&marker=\(m)", "?sort_key=id&sort_key=name&limit=2&marker=\(m)",
            "?limit=2&name=a&name=b&marker=\(ids["ike0"]!)", "?limit=1000", "?name=a&name=a", "?colour=blue",
            "?sort_key=colour", "?sort_dir=up&sort_key=name", "?limit=-1", "?name=%C3%A9t%C3%A9",
            "?name=e%CC%81te%CC%81&limit=1", "?name=a&name=%C3%A9t%C3%A9&sort_key=name",
        ].map { ike + $0 }
        out += [
            "", "?admin_state_up=false", "?admin_state_up=True&admin_state_up=0", "?admin_state_up=yes", "?subnet_id=",
            "?subnet_id=None", "?subnet_id=\(ids["subnet"]!)", "?sort_key=subnet_id&limit=2&marker=\(mDown)",
            "?sort_key=subnet_id&sort_dir=desc&limit=1&marker=\(mSub)&page_reverse=True",
            "?sort_key=subnet_id&sort_dir=desc&limit=1&marker=\(mDown)", "?sort_key=subnet_id&limit=1&marker=\(mDown)&page_reverse=1",
            "?external_v6_ip=2001:db8:0:1:0::0", "?flavor_id=", "?status=PENDING_CREATE&sort_key=admin_state_up&sort_dir=desc",
            "?sort_key=external_v4_ip&sort_dir=desc&sort_key=name",
        ].map { vpn + $0 }
        out += ["", "?endpoints=2001:db8:1:33bd::/64", "?type=cidr&limit=1", "?type=subnet&type=cidr&sort_key=type&sort_dir=desc"]
            .map { "/v2.0/vpn/endpoint-groups" + $0 }
        out += ["", "?peer_cidrs=2001:db8:1:33be::/64", "?mtu=1400", "?mtu=abc", "?sort_key=mtu&sort_dir=desc&limit=1",
                "?peer_address=2001:db8::4:703", "?local_ep_group_id=", "?psk=secret", "?dpd=x", "?admin_state_up=1"]
            .map { "/v2.0/vpn/ipsec-site-connections" + $0 }
        out += ["", "?name=ipsecpolicy", "?pfs=group14&limit=1", "?sort_key=lifetime"].map { "/v2.0/vpn/ipsecpolicies" + $0 }
        out += [
            "", "?shared=true", "?router:external=True", "?router%3Aexternal=false&sort_key=name", "?provider:segmentation_id=",
            "?provider:physical_network=public", "?provider:physical_network=None", "?sort_key=provider:segmentation_id&sort_dir=desc",
            "?sort_key=provider:physical_network&limit=1&marker=\(ids["provider"]!)", "?subnets=\(ids["subnet"]!)",
            "?tags-any=x", "?mtu=1500&limit=1", "?sort_key=created_at", "?limit=1&marker=\(ids["private"]!)",
            "?name=private&name=provider&sort_key=mtu&sort_dir=desc&sort_key=name",
        ].map { "/v2.0/networks" + $0 }
        out += ["", "?admin_state_up=true", "?status=ACTIVE&limit=1", "?external_gateway_info=x", "?sort_key=revision_number"]
            .map { "/v2.0/routers" + $0 }
        out += [
            "", "?device_owner=network:router_gateway", "?network_id=\(ids["private"]!)", "?fixed_ips=subnet_id=\(ids["subnet"]!)",
            "?sort_key=device_owner&sort_dir=desc&limit=1", "?binding:host_id=", "?limit=1&page_reverse=True",
        ].map { "/v2.0/ports" + $0 }
        return out
    }

    @Test func everyListAnswersAsTheSwiftPathDoes() async throws {
        let store = try SQLiteStore()
        let counting = CountingStore(base: store)
        let swiftApp = try TestAPI.app(store: SwiftOnlyStore(base: store))
        try await TestAPI.app(store: counting).test(.router) { sql in
            let ids = try await Self.seed(sql)
            try await swiftApp.test(.router) { swift in
                var compared = 0
                for query in Self.queries(ids) {
                    for caller in Self.callers {
                        let a = try await Self.raw(sql, query, as: caller)
                        let b = try await Self.raw(swift, query, as: caller)
                        #expect(a.0 == b.0, "\(query) as \(caller.project ?? "admin")")
                        #expect(a.1 == b.1, "\(query) as \(caller.project ?? "admin")")
                        compared += 1
                    }
                }
                #expect(compared > 200)
                #expect(counting.lists.withLock { $0 } > 150)
            }
        }
    }

    @Test func pagesFiltersAndScopesAsNeutronDoes() async throws {
        try await TestAPI.app().test(.router) { c in
            let ids = try await Self.seed(c)
            func names(_ path: String, as caller: Caller = .admin) async throws -> [String] {
                let r = try await c.call(.get, path, as: caller)
                return (r.object["ikepolicies"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            }
            // Repeated keys are alternatives.
            #expect(try await names("/v2.0/vpn/ikepolicies?name=a&name=b").sorted() == ["a", "a", "b", "b"])
            // Several keys, mixed directions: pfs descending, then name ascending, then id.
            let mixed = try await c.call(.get, "/v2.0/vpn/ikepolicies?sort_key=pfs&sort_dir=desc&sort_key=name&sort_dir=asc")
            let rows = mixed.object["ikepolicies"] as? [[String: Any]] ?? []
            let pairs: [String] = rows.map { row -> String in
                let pfs = row["pfs"] as? String ?? ""
                let name = row["name"] as? String ?? ""
                return pfs + "|" + name
            }
            let expected: [String] = pairs.sorted { (x: String, y: String) -> Bool in
                let a = x.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                let b = y.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                return a[0] != b[0] ? a[0] > b[0] : a[1] < b[1]
            }
            #expect(pairs == expected)
            // Tenants see only their own project; admin sees all.
            #expect(try await names("/v2.0/vpn/ikepolicies", as: Self.p2).count == 4)
            #expect(try await names("/v2.0/vpn/ikepolicies").count == 13)
            // Networks: a tenant sees its own, shared and external ones; another tenant's private one it does not.
            let p2Networks = try await c.call(.get, "/v2.0/networks?sort_key=name&limit=10", as: Self.p2)
            #expect((p2Networks.object["networks"] as? [[String: Any]] ?? []).map { $0["name"] as? String } == ["provider", "shared"])
            let p1Networks = try await c.call(.get, "/v2.0/networks?sort_key=name&sort_dir=desc", as: Self.p1)
            #expect((p1Networks.object["networks"] as? [[String: Any]] ?? []).map { $0["name"] as? String } == ["shared", "provider", "private"])
            // Limit with links; marker forward and back.
            let first = try await c.call(.get, "/v2.0/vpn/ikepolicies?sort_key=name&limit=5")
            let firstRows = first.object["ikepolicies"] as? [[String: Any]] ?? []
            #expect(firstRows.count == 5)
            let links = first.object["ikepolicies_links"] as? [[String: Any]] ?? []
            #expect(links.map { $0["rel"] as? String } == ["next"])
            let last = firstRows.last?["id"] as? String ?? ""
            #expect((links.first?["href"] as? String)?.hasSuffix("?limit=5&sort_key=name&marker=\(last)") == true)
            let next = try await c.call(.get, "/v2.0/vpn/ikepolicies?sort_key=name&limit=5&marker=\(last)")
            let nextRows = next.object["ikepolicies"] as? [[String: Any]] ?? []
            let back = try await c.call(
                .get, "/v2.0/vpn/ikepolicies?sort_key=name&limit=5&marker=\(nextRows.first?["id"] as? String ?? "")&page_reverse=True")
            #expect((back.object["ikepolicies"] as? [[String: Any]] ?? []).map { $0["id"] as? String } == firstRows.map { $0["id"] as? String })
            // A marker the caller cannot see is 400, as an unknown one is.
            let hidden = try await c.call(.get, "/v2.0/vpn/ikepolicies?limit=2&marker=\(ids["ike0"]!)", as: Self.p2)
            #expect(hidden.status == 400 && hidden.errorMessage == "Marker \(ids["ike0"]!) could not be found")
            // Booleans parse as Neutron parses them; a computed (JSON) attribute filters too.
            let down = try await c.call(.get, "/v2.0/vpn/vpnservices?admin_state_up=False")
            #expect((down.object["vpnservices"] as? [[String: Any]] ?? []).map { $0["name"] as? String } == ["down"])
            let cidr = try await c.call(.get, "/v2.0/vpn/endpoint-groups?endpoints=2001:db8:1:33bd::/64")
            #expect((cidr.object["endpoint_groups"] as? [[String: Any]] ?? []).map { $0["name"] as? String } == ["my-peers"])
            let legacy = try await c.call(.get, "/v2.0/vpn/ipsec-site-connections?peer_cidrs=2001:db8:1:33be::/64&limit=1")
            #expect((legacy.object["ipsec_site_connections"] as? [[String: Any]] ?? []).map { $0["name"] as? String } == ["legacy"])
        }
    }
}

/// The SQLite list store itself: scope, filters and keyset pages over real rows.
struct SQLiteListStoreTests {
    static func id(_ i: Int) -> String { i < 10 ? "id-0\(i)" : "id-\(i)" }

    @Test func pagesThroughEveryRowOnceInOrder() async throws {
        let store = try SQLiteStore()
        try await store.write { tx in
            for i in 0..<25 {
                try await tx.insert(IKEPolicy(id: Self.id(i), projectID: i % 2 == 0 ? "p1" : "p2", name: "n\(i % 4)"))
            }
        }
        let sort = [ListRequest.SortKey(column: "name", ascending: false), ListRequest.SortKey(column: "id", ascending: true)]
        var request = ListRequest(scope: .projects(["p1"]), sort: sort, limit: 4)
        var seen: [String] = []
        while true {
            let page = try await store.ikePolicies(request)
            seen += page.items.map(\.id)
            guard page.full, let last = page.items.last else { break }
            request.marker = last.id
        }
        let expected = (0..<25).filter { $0 % 2 == 0 }.sorted { a, b in a % 4 != b % 4 ? a % 4 > b % 4 : a < b }
            .map(Self.id)
        #expect(seen == expected)
        request.marker = "id-01"
        await #expect(throws: ListMarkerNotFound.self) { try await store.ikePolicies(request) }
        let named = try await store.ikePolicies(ListRequest(filters: [.init(column: "name", values: [.text("n1"), .text("n3")])]))
        #expect(named.items.count == 12 && !named.full)
    }
}
