import Testing
import VPNaaSDomain
import VPNaaSStore

/// The list SQL as text and binds, for both dialects.
struct ListSQLGeneratorTests {
    let sqlite = ListSQLGenerator(dialect: .sqlite)
    let postgres = ListSQLGenerator(dialect: .postgres)

    @Test func adminWithoutFiltersOrdersByIDOnly() {
        let q = sqlite.pageQuery(ListRequest(), table: "vpn_ikepolicies")
        #expect(q.sql == "SELECT * FROM vpn_ikepolicies ORDER BY id ASC")
        #expect(q.binds.isEmpty)
    }

    @Test func scopeFiltersAndLimit() {
        let request = ListRequest(
            scope: .projects(["p1"]),
            filters: [
                .init(column: "name", values: [.text("a"), .text("b")]),
                .init(column: "subnet_id", values: [.text("None")], includesNull: true),
                .init(column: "admin_state_up", values: [.bool(true)]),
                .init(column: "mtu", values: []),
            ],
            limit: 10)
        let q = sqlite.pageQuery(request, table: "vpn_services")
        #expect(q.sql == """
            SELECT * FROM vpn_services WHERE project_id IN (?) AND name IN (?, ?) AND (subnet_id = ? OR subnet_id IS NULL) \
            AND admin_state_up = ? AND 1 = 0 ORDER BY id ASC LIMIT 10
            """)
        #expect(q.binds == [.text("p1"), .text("a"), .text("b"), .text("None"), .bool(true)])
        let p = postgres.pageQuery(request, table: "vpn_services")
        #expect(p.sql == """
            SELECT * FROM vpn_services WHERE project_id IN ($1) AND name IN ($2, $3) AND (subnet_id = $4 OR subnet_id IS NULL) \
            AND admin_state_up = $5 AND 1 = 0 ORDER BY id COLLATE "C" ASC LIMIT 10
            """)
    }

    @Test func sharedFlagsWidenTheScope() {
        let q = sqlite.pageQuery(ListRequest(scope: .projects(["p1", "p2"], orFlags: ["shared", "external"])), table: "networks")
        #expect(q.sql == "SELECT * FROM networks WHERE (project_id IN (?, ?) OR shared = ? OR external = ?) ORDER BY id ASC")
        #expect(q.binds == [.text("p1"), .text("p2"), .bool(true), .bool(true)])
    }

    @Test func markerQuerySeesOnlyWhatThePageSees() {
        let request = ListRequest(
            scope: .projects(["p1"]), filters: [.init(column: "name", values: [.text("x")])],
            sort: [.init(column: "name", ascending: false), .init(column: "id", ascending: true)], marker: "m1")
        let q = sqlite.markerQuery(request, table: "vpn_ikepolicies")
        #expect(q.sql == "SELECT name, id FROM vpn_ikepolicies WHERE project_id IN (?) AND name = ? AND id = ?")
        #expect(q.binds == [.text("p1"), .text("x"), .text("m1")])
    }

    @Test func keysetOverMixedDirections() {
        let request = ListRequest(
            sort: [.init(column: "name", ascending: false, nullable: true), .init(column: "mtu", ascending: true, isText: false),
                   .init(column: "id", ascending: true)],
            marker: "m", limit: 2)
        let q = sqlite.pageQuery(request, table: "t", markerValues: [.text("n"), .int(5), .text("m")])
        #expect(q.sql == """
            SELECT * FROM t WHERE (((name < ? OR name IS NULL)) OR (name = ? AND mtu > ?) OR (name = ? AND mtu = ? AND id > ?)) \
            ORDER BY name DESC, mtu ASC, id ASC LIMIT 2
            """)
        #expect(q.binds == [.text("n"), .text("n"), .int(5), .text("n"), .int(5), .text("m")])
        let p = postgres.pageQuery(request, table: "t", markerValues: [.text("n"), .int(5), .text("m")])
        #expect(p.sql == """
            SELECT * FROM t WHERE (((name COLLATE "C" < $1 OR name IS NULL)) OR (name COLLATE "C" = $2 AND mtu > $3) \
            OR (name COLLATE "C" = $4 AND mtu = $5 AND id COLLATE "C" > $6)) \
            ORDER BY name COLLATE "C" DESC NULLS LAST, mtu ASC, id COLLATE "C" ASC LIMIT 2
            """)
    }

    @Test func aBoundOnTheFirstKeyLetsTheIndexStartAtTheMarker() {
        let request = ListRequest(
            sort: [.init(column: "name", ascending: false), .init(column: "id", ascending: true)], marker: "m", limit: 10)
        let q = sqlite.pageQuery(request, table: "t", markerValues: [.text("n"), .text("m")])
        #expect(q.sql == """
            SELECT * FROM t WHERE name <= ? AND ((name < ?) OR (name = ? AND id > ?)) ORDER BY name DESC, id ASC LIMIT 10
            """)
        #expect(q.binds == [.text("n"), .text("n"), .text("n"), .text("m")])
    }

    @Test func pageReverseInvertsTheOrderAndNullMarkersCompareAsLowest() {
        var request = ListRequest(
            sort: [.init(column: "subnet_id", ascending: true, nullable: true), .init(column: "id", ascending: true)], marker: "m",
            pageReverse: true, limit: 3)
        // Reversed, subnet_id runs descending (NULLs last): nothing is past a NULL on that key but equal ones are.
        var q = sqlite.pageQuery(request, table: "s", markerValues: [nil, .text("m")])
        #expect(q.sql == "SELECT * FROM s WHERE ((subnet_id IS NULL AND id < ?)) ORDER BY subnet_id DESC, id DESC LIMIT 3")
        request.pageReverse = false
        q = sqlite.pageQuery(request, table: "s", markerValues: [nil, .text("m")])
        #expect(q.sql == """
            SELECT * FROM s WHERE ((subnet_id IS NOT NULL) OR (subnet_id IS NULL AND id > ?)) \
            ORDER BY subnet_id ASC, id ASC LIMIT 3
            """)
    }
}
