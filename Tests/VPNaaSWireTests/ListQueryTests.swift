import Testing
import VPNaaSDomain
import VPNaaSWire

@Suite struct ListQueryTests {
    let items: [JSONObject] = [
        ["id": .string("c"), "name": .string("x"), "admin_state_up": .bool(true), "mtu": .int(1500)],
        ["id": .string("a"), "name": .string("y"), "admin_state_up": .bool(false), "mtu": .int(1450)],
        ["id": .string("b"), "name": .string("x"), "admin_state_up": .bool(true), "mtu": .int(1450)],
    ]
    let filterable: Set<String> = ["id", "name", "admin_state_up", "mtu"]

    func ids(_ query: [(String, String)]) throws -> [String] {
        try ListQuery(items: query, filterable: filterable).apply(to: items).page.compactMap { $0["id"]?.stringValue }
    }

    @Test func defaultOrderIsByID() throws {
        #expect(try ids([]) == ["a", "b", "c"])
    }

    @Test func filtersAreAndedAcrossKeysAndOredWithinOne() throws {
        #expect(try ids([("name", "x")]) == ["b", "c"])
        #expect(try ids([("name", "x"), ("mtu", "1450")]) == ["b"])
        #expect(try ids([("id", "a"), ("id", "c")]) == ["a", "c"])
        #expect(try ids([("admin_state_up", "False")]) == ["a"])
    }

    @Test func unknownFilterIsRejectedLikeNeutron() {
        #expect(throws: VPNaaSError.badRequest("['colour'] is invalid attribute for filtering")) {
            try ListQuery(items: [("colour", "blue")], filterable: filterable)
        }
    }

    @Test func sortsByKeysThenID() throws {
        #expect(try ids([("sort_key", "mtu"), ("sort_dir", "desc")]) == ["c", "a", "b"])
        #expect(try ids([("sort_key", "name"), ("sort_dir", "asc")]) == ["b", "c", "a"])
        #expect(throws: VPNaaSError.self) { try ListQuery(items: [("sort_key", "colour")], filterable: filterable) }
        #expect(throws: VPNaaSError.self) {
            try ListQuery(items: [("sort_key", "name"), ("sort_dir", "up")], filterable: filterable)
        }
    }

    @Test func pagesWithLimitAndMarker() throws {
        let first = try ListQuery(items: [("limit", "2")], filterable: filterable).apply(to: items)
        #expect(first.page.compactMap { $0["id"]?.stringValue } == ["a", "b"])
        #expect(first.full)
        let second = try ListQuery(items: [("limit", "2"), ("marker", "b")], filterable: filterable).apply(to: items)
        #expect(second.page.compactMap { $0["id"]?.stringValue } == ["c"])
        #expect(!second.full)
        #expect(throws: VPNaaSError.self) { try ListQuery(items: [("limit", "-1")], filterable: filterable) }
    }

    @Test func fieldsProjectEachItem() throws {
        let page = try ListQuery(items: [("fields", "id"), ("fields", "mtu")], filterable: filterable).apply(to: items).page
        #expect(page.allSatisfy { Set($0.keys) == ["id", "mtu"] })
    }

    @Test func listValuedAttributesMatchElementsAndSubkeys() throws {
        let port: JSONObject = [
            "id": .string("p"),
            "fixed_ips": .array([.object(["subnet_id": .string("s1"), "ip_address": .string("2001:db8::1")])]),
        ]
        let q1 = try ListQuery(items: [("fixed_ips", "ip_address=2001:db8:0::1")], filterable: ["fixed_ips", "id"])
        #expect(q1.matches(port))
        let q2 = try ListQuery(items: [("fixed_ips", "subnet_id=s2")], filterable: ["fixed_ips", "id"])
        #expect(!q2.matches(port))
    }
}
