import HTTPTypes
import Testing
import VPNaaSAPI
import VPNaaSWire

/// Neutron's `revision-if-match`: `If-Match: revision_number=N` on PUT and DELETE, and revision_number
/// moving by exactly one per write.
@Suite struct RevisionIfMatchTests {
    static func ifMatch(_ value: String) -> HTTPFields { [.ifMatch: value] }

    func revision(_ api: APIClient, _ path: String, _ key: String) async throws -> Int {
        let answer = try await api.send(.get, path)
        guard case .int(let n) = answer[key]?["revision_number"] else {
            Issue.record("\(path): no revision_number")
            return -1
        }
        return n
    }

    @Test func everyCoreResourceHonoursIfMatchOnPutAndDelete() async throws {
        try await withTestApp { api in
            let t = try await Topology.build(api)
            let net = try await api.create("/v2.0/networks", "network", ["name": .string("n")])
            let subnet = try await api.create(
                "/v2.0/subnets", "subnet", ["network_id": .string(net), "ip_version": .int(4), "cidr": .string("10.9.0.0/24")])
            let port = try await api.create("/v2.0/ports", "port", ["network_id": .string(net)])
            let router = try await api.create("/v2.0/routers", "router", ["name": .string("r")])
            // Children first, so that each DELETE is otherwise allowed.
            for (path, key) in [
                ("/v2.0/ports/\(port)", "port"), ("/v2.0/subnets/\(subnet)", "subnet"),
                ("/v2.0/networks/\(net)", "network"), ("/v2.0/routers/\(router)", "router"),
            ] {
                let r0 = try await revision(api, path, key)
                let stale = try await api.send(
                    .put, path, .object([key: .object(["name": .string("stale")])]), headers: Self.ifMatch("revision_number=\(r0 + 5)"))
                #expect(stale.status == 412, "\(path)")
                #expect(stale.errorType == "RevisionNumberConstraintFailed")
                #expect(stale["NeutronError"]?["message"] == .string("Constrained to \(r0 + 5), but current revision is \(r0)"))
                #expect(try await revision(api, path, key) == r0, "a refused PUT changes nothing")
                #expect(try await api.send(.get, path)[key]?["name"] != .string("stale"))

                let current = try await api.send(
                    .put, path, .object([key: .object(["name": .string("fresh")])]), headers: Self.ifMatch("revision_number=\(r0)"))
                #expect(current.status == 200, "\(path)")
                #expect(current[key]?["revision_number"] == .int(r0 + 1))

                let staleDelete = try await api.send(.delete, path, headers: Self.ifMatch("revision_number=\(r0)"))
                #expect(staleDelete.status == 412, "\(path)")
                #expect(staleDelete.errorType == "RevisionNumberConstraintFailed")
                #expect(try await api.send(.get, path).status == 200, "a refused DELETE deletes nothing")
                let delete = try await api.send(.delete, path, headers: Self.ifMatch("\"revision_number=\(r0 + 1)\""))
                #expect(delete.status == 204, "\(path): a quoted entity tag is accepted, as webob parses it")
            }
            _ = t
        }
    }

    @Test func routerInterfaceActionsHonourTheRoutersRevision() async throws {
        try await withTestApp { api in
            let net = try await api.create("/v2.0/networks", "network", ["name": .string("n")])
            let subnet = try await api.create(
                "/v2.0/subnets", "subnet", ["network_id": .string(net), "ip_version": .int(4), "cidr": .string("10.6.0.0/24")])
            let router = try await api.create("/v2.0/routers", "router", ["name": .string("r")])
            let path = "/v2.0/routers/\(router)"
            let r0 = try await revision(api, path, "router")
            let body = JSONValue.object(["subnet_id": .string(subnet)])
            let stale = try await api.send(.put, path + "/add_router_interface", body, headers: Self.ifMatch("revision_number=\(r0 + 1)"))
            #expect(stale.status == 412)
            #expect(stale.errorType == "RevisionNumberConstraintFailed")
            #expect(try await api.send(.get, "/v2.0/ports?device_id=\(router)")["ports"] == .array([]))
            let added = try await api.send(.put, path + "/add_router_interface", body, headers: Self.ifMatch("revision_number=\(r0)"))
            #expect(added.status == 200)
            #expect(try await revision(api, path, "router") == r0 + 1)
            let staleRemove = try await api.send(.put, path + "/remove_router_interface", body, headers: Self.ifMatch("revision_number=\(r0)"))
            #expect(staleRemove.status == 412)
            let removed = try await api.send(.put, path + "/remove_router_interface", body, headers: Self.ifMatch("revision_number=\(r0 + 1)"))
            #expect(removed.status == 200)
        }
    }

    @Test func malformedIfMatchIsNeutronsBadRequest() async throws {
        try await withTestApp { api in
            let net = try await api.create("/v2.0/networks", "network", ["name": .string("n")])
            let body = JSONValue.object(["network": .object(["name": .string("x")])])
            let bad = try await api.send(.put, "/v2.0/networks/\(net)", body, headers: Self.ifMatch("revision_number=abc"))
            #expect(bad.status == 400)
            #expect(bad.errorType == "BadRequest")
            #expect(
                bad["NeutronError"]?["message"]
                    == .string("Bad if-match request: Revision number etag must be in the format of revision_number=<int>."))
            let twice = try await api.send(
                .delete, "/v2.0/networks/\(net)", headers: Self.ifMatch("revision_number=1, revision_number=1"))
            #expect(twice.status == 400)
            #expect(twice["NeutronError"]?["message"] == .string("Bad if-match request: Multiple revision_number etags are not supported."))
            // Other entity tags are not Neutron's business: ignored, as neutron does.
            let other = try await api.send(.put, "/v2.0/networks/\(net)", body, headers: Self.ifMatch("\"abc123\""))
            #expect(other.status == 200)
            #expect(try await api.send(.get, "/v2.0/networks/\(net)").status == 200)
        }
    }

    @Test func resourcesWithoutRevisionsIgnoreTheConstraintButNotItsSyntax() async throws {
        try await withTestApp { api in
            let ike = try await api.create("/v2.0/vpn/ikepolicies", "ikepolicy", ["name": .string("ike")])
            let body = JSONValue.object(["ikepolicy": .object(["name": .string("renamed")])])
            let put = try await api.send(.put, "/v2.0/vpn/ikepolicies/\(ike)", body, headers: Self.ifMatch("revision_number=99"))
            #expect(put.status == 200)
            let bad = try await api.send(.delete, "/v2.0/vpn/ikepolicies/\(ike)", headers: Self.ifMatch("revision_number=x"))
            #expect(bad.status == 400)
            #expect(try await api.send(.delete, "/v2.0/vpn/ikepolicies/\(ike)").status == 204)
        }
    }

    @Test func eachPutBumpsTheRevisionByExactlyOne() async throws {
        try await withTestApp { api in
            let t = try await Topology.build(api)
            let net = try await api.create("/v2.0/networks", "network", ["name": .string("n")])
            let subnet = try await api.create(
                "/v2.0/subnets", "subnet", ["network_id": .string(net), "ip_version": .int(4), "cidr": .string("10.8.0.0/24")])
            let port = try await api.create("/v2.0/ports", "port", ["network_id": .string(net)])
            let changes: [(String, String, JSONObject)] = [
                ("/v2.0/networks/\(net)", "network", ["name": .string("a")]),
                ("/v2.0/networks/\(net)", "network", ["admin_state_up": .bool(false)]),
                ("/v2.0/subnets/\(subnet)", "subnet", ["name": .string("a")]),
                ("/v2.0/subnets/\(subnet)", "subnet", ["dns_nameservers": .array([.string("192.0.2.53")])]),
                ("/v2.0/ports/\(port)", "port", ["name": .string("a")]),
                ("/v2.0/ports/\(port)", "port", ["admin_state_up": .bool(false)]),
                ("/v2.0/routers/\(t.router)", "router", ["name": .string("a")]),
                ("/v2.0/routers/\(t.router)", "router", ["external_gateway_info": .object([:])]),
                ("/v2.0/routers/\(t.router)", "router", ["external_gateway_info": .object(["network_id": .string(t.provider)])]),
            ]
            for (path, key, change) in changes {
                let before = try await revision(api, path, key)
                let answer = try await api.send(.put, path, .object([key: .object(change)]))
                #expect(answer.status == 200, "\(path) \(change)")
                #expect(answer[key]?["revision_number"] == .int(before + 1), "\(path) \(change): PUT answer")
                #expect(try await revision(api, path, key) == before + 1, "\(path) \(change): stored")
            }
        }
    }
}
