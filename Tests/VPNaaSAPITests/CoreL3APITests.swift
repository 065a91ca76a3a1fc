import HTTPTypes
import Testing
import VPNaaSAPI
import VPNaaSWire

@Suite struct CoreL3APITests {
    @Test func walkthroughMatchesNeutronShapes() async throws {
        try await withTestApp { api in
            let t = try await Topology.build(api)
            let net = try await api.send(.get, "/v2.0/networks/\(t.provider)")
            #expect(net.status == 200)
            let network = try #require(net["network"]?.objectValue)
            #expect(network["provider:network_type"] == .string("flat"))
            #expect(network["mtu"] == .int(1500))
            #expect(network["subnets"] == .array([.string(t.providerV4), .string(t.providerV6)]))
            #expect(Set(network.keys).count == 26)

            let priv = try await api.send(.get, "/v2.0/networks/\(t.privateNet)")
            #expect(priv["network"]?["provider:network_type"] == .string("vxlan"))
            #expect(priv["network"]?["mtu"] == .int(1450))

            let subnet = try await api.send(.get, "/v2.0/subnets/\(t.privateSubnet)")
            #expect(subnet["subnet"]?["gateway_ip"] == .string("2001:db8:1:33bc::"))
            #expect(subnet["subnet"]?["allocation_pools"] == .array([.object(["start": .string("2001:db8:1:33bc::1"), "end": .string("2001:db8:1:33bc:ffff:ffff:ffff:ffff")])]))

            let router = try await api.send(.get, "/v2.0/routers/\(t.router)")
            let gw = try #require(router["router"]?["external_gateway_info"]?.objectValue)
            #expect(gw["enable_snat"] == .bool(true))
            guard case .array(let ips) = gw["external_fixed_ips"] else { Issue.record("no external_fixed_ips"); return }
            #expect(ips.count == 2)  // one per IP family
            #expect(ips.compactMap { $0["subnet_id"]?.stringValue } == [t.providerV4, t.providerV6])

            // `router show` asks for the router's ports: only this router's, the interface holding the gateway IP.
            let ports = try await api.send(.get, "/v2.0/ports?device_id=\(t.router)")
            guard case .array(let list) = ports["ports"] else { Issue.record("no ports"); return }
            let iface = list.first { $0["device_owner"] == .string("network:router_interface") }
            #expect(iface?["fixed_ips"] == .array([.object(["subnet_id": .string(t.privateSubnet), "ip_address": .string("2001:db8:1:33bc::")])]))
        }
    }

    @Test func interfaceResponsesHaveFixtureKeys() async throws {
        try await withTestApp { api in
            let t = try await Topology.build(api)
            let removed = try await api.send(
                .put, "/v2.0/routers/\(t.router)/remove_router_interface", .object(["subnet_id": .string(t.privateSubnet)]))
            #expect(removed.status == 200)
            #expect(Set(removed.json?.objectValue?.keys ?? []) == ["id", "project_id", "port_id", "network_id", "subnet_id", "subnet_ids"])
            let again = try await api.send(
                .put, "/v2.0/routers/\(t.router)/remove_router_interface", .object(["subnet_id": .string(t.privateSubnet)]))
            #expect(again.status == 404)
            #expect(again.errorType == "RouterInterfaceNotFoundForSubnet")
            let both = try await api.send(
                .put, "/v2.0/routers/\(t.router)/add_router_interface",
                .object(["subnet_id": .string(t.privateSubnet), "port_id": .string(t.privateSubnet)]))
            #expect(both.status == 400)
            #expect(both.errorType == "BadRequest")
        }
    }

    @Test func inUseDeletesAreRefusedLikeNeutron() async throws {
        try await withTestApp { api in
            let t = try await Topology.build(api)
            let subnetDelete = try await api.send(.delete, "/v2.0/subnets/\(t.privateSubnet)")
            #expect(subnetDelete.status == 409)
            #expect(subnetDelete.errorType == "SubnetInUse")
            let networkDelete = try await api.send(.delete, "/v2.0/networks/\(t.privateNet)")
            #expect(networkDelete.status == 409)
            #expect(networkDelete.errorType == "NetworkInUse")
            let routerDelete = try await api.send(.delete, "/v2.0/routers/\(t.router)")
            #expect(routerDelete.status == 409)
            #expect(routerDelete.errorType == "RouterInUse")
            let portDelete = try await api.send(.get, "/v2.0/ports?device_id=\(t.router)&device_owner=network:router_interface")
            let portID = try #require(portDelete["ports"].flatMap { if case .array(let a) = $0 { a.first?["id"]?.stringValue } else { nil } })
            let direct = try await api.send(.delete, "/v2.0/ports/\(portID)")
            #expect(direct.status == 409)

            // Teardown in the safe order works and leaves nothing.
            #expect(try await api.send(.put, "/v2.0/routers/\(t.router)/remove_router_interface", .object(["subnet_id": .string(t.privateSubnet)])).status == 200)
            #expect(try await api.send(.put, "/v2.0/routers/\(t.router)", .object(["router": .object(["external_gateway_info": .object([:])])])).status == 200)
            #expect(try await api.send(.delete, "/v2.0/routers/\(t.router)").status == 204)
            #expect(try await api.send(.delete, "/v2.0/subnets/\(t.privateSubnet)").status == 204)
            #expect(try await api.send(.delete, "/v2.0/networks/\(t.privateNet)").status == 204)
            #expect(try await api.send(.delete, "/v2.0/networks/\(t.provider)").status == 204)
            let ports = try await api.send(.get, "/v2.0/ports")
            #expect(ports["ports"] == .array([]))
        }
    }

    @Test(arguments: [
        ("POST", "/v2.0/networks", #"{"network": {"name": "x", "colour": "blue"}}"#, 400, "HTTPBadRequest"),
        ("POST", "/v2.0/networks", #"{"network": {"name": "#, 400, "MalformedRequestBody"),
        ("POST", "/v2.0/networks", #"{"net": {"name": "x"}}"#, 400, "HTTPBadRequest"),
        ("POST", "/v2.0/networks", "", 400, "HTTPBadRequest"),
        ("POST", "/v2.0/networks", #"{"network": {"name": "\#(String(repeating: "n", count: 256))"}}"#, 400, "HTTPBadRequest"),
        ("POST", "/v2.0/networks", #"{"network": {"admin_state_up": "sometimes"}}"#, 400, "HTTPBadRequest"),
        ("POST", "/v2.0/networks", #"{"network": {"provider:network_type": "flat", "provider:physical_network": "nowhere"}}"#, 400, "InvalidInput"),
        ("POST", "/v2.0/networks", #"{"network": {"mtu": 9000}}"#, 400, "InvalidInput"),
        ("POST", "/v2.0/subnets", #"{"subnet": {"network_id": "af92d713-d8d9-4f26-9b07-32a0f9199272", "ip_version": 4, "cidr": "10.0.0.0/24"}}"#, 404, "NetworkNotFound"),
        ("POST", "/v2.0/subnets", #"{"subnet": {"cidr": "10.0.0.0/24"}}"#, 400, "HTTPBadRequest"),
        ("POST", "/v2.0/subnets", #"{"subnet": {"network_id": "x", "ip_version": 4, "cidr": "10.0.0.0/24"}}"#, 400, "HTTPBadRequest"),
        ("POST", "/v2.0/routers", #"{"router": {"flavor_id": "af92d713-d8d9-4f26-9b07-32a0f9199272"}}"#, 404, "FlavorNotFound"),
        ("POST", "/v2.0/routers", #"{"router": {"external_gateway_info": {"network_id": "af92d713-d8d9-4f26-9b07-32a0f9199272"}}}"#, 404, "NetworkNotFound"),
        ("GET", "/v2.0/networks/provider", nil, 404, "NetworkNotFound"),
        ("GET", "/v2.0/routers/af92d713-d8d9-4f26-9b07-32a0f9199272", nil, 404, "RouterNotFound"),
        ("GET", "/v2.0/networks?colour=blue", nil, 400, "HTTPBadRequest"),
        ("GET", "/v2.0/networks?limit=x", nil, 400, "HTTPBadRequest"),
        ("GET", "/v2.0/nothing-here", nil, 404, "HTTPNotFound"),
        ("GET", "/v2.0/extensions/external-gateway-multihoming", nil, 404, "HTTPNotFound"),
        ("DELETE", "/v2.0/ports/af92d713-d8d9-4f26-9b07-32a0f9199272", nil, 404, "PortNotFound"),
    ] as [(String, String, String?, Int, String)])
    func badInputGetsNeutronErrors(method: String, path: String, body: String?, status: Int, type: String) async throws {
        try await withTestApp { api in
            let answer = try await api.send(HTTPRequest.Method(method)!, path, raw: body)
            #expect(answer.status == status)
            #expect(answer.errorType == type)
            #expect(answer.json?["NeutronError"]?["detail"] == .string(""))
            #expect(answer.headers[HTTPField.Name("X-Openstack-Request-Id")!]?.hasPrefix("req-") == true)
        }
    }

    @Test func subnetRules() async throws {
        try await withTestApp { api in
            let net = try await api.create("/v2.0/networks", "network", ["name": .string("n")])
            func subnet(_ attrs: JSONObject) async throws -> Answer {
                var a = attrs
                a["network_id"] = .string(net)
                return try await api.send(.post, "/v2.0/subnets", .object(["subnet": .object(a)]))
            }
            #expect(try await subnet(["ip_version": .int(4), "cidr": .string("10.0.0.0/24")]).status == 201)
            let overlap = try await subnet(["ip_version": .int(4), "cidr": .string("10.0.0.128/25")])
            #expect(overlap.status == 400)
            #expect(overlap.errorType == "InvalidInput")
            let hostBits = try await subnet(["ip_version": .int(4), "cidr": .string("10.1.0.5/24")])
            #expect(hostBits.errorType == "HTTPBadRequest")
            let mismatch = try await subnet(["ip_version": .int(6), "cidr": .string("10.2.0.0/24")])
            #expect(mismatch.errorType == "InvalidInput")
            let slaac = try await subnet(["ip_version": .int(6), "cidr": .string("2001:db8::/56"), "ipv6_address_mode": .string("slaac")])
            #expect(slaac.errorType == "InvalidInput")
            let pools = try await subnet([
                "ip_version": .int(4), "cidr": .string("10.3.0.0/24"),
                "allocation_pools": .array([.object(["start": .string("10.3.1.2"), "end": .string("10.3.1.9")])]),
            ])
            #expect(pools.errorType == "OutOfBoundsAllocationPool")
            let noGateway = try await subnet(["ip_version": .int(4), "cidr": .string("10.4.0.0/24"), "gateway_ip": .null])
            #expect(noGateway["subnet"]?["gateway_ip"] == .null)
            #expect(noGateway["subnet"]?["allocation_pools"] == .array([.object(["start": .string("10.4.0.1"), "end": .string("10.4.0.254")])]))
        }
    }

    @Test func projectsAreIsolatedAndPolicyApplies() async throws {
        try await withTestApp { api in
            let t = try await Topology.build(api, tenant: APIClient.tenantA)
            // Another project sees neither the network nor the router: 404, not 403.
            #expect(try await api.send(.get, "/v2.0/networks/\(t.privateNet)", headers: APIClient.tenantB).errorType == "NetworkNotFound")
            #expect(try await api.send(.get, "/v2.0/routers/\(t.router)", headers: APIClient.tenantB).errorType == "RouterNotFound")
            #expect(try await api.send(.delete, "/v2.0/networks/\(t.privateNet)", headers: APIClient.tenantB).status == 404)
            // Everyone sees the external network, but not its subnets.
            #expect(try await api.send(.get, "/v2.0/networks/\(t.provider)", headers: APIClient.tenantB).status == 200)
            #expect(try await api.send(.get, "/v2.0/subnets/\(t.providerV4)", headers: APIClient.tenantB).status == 404)
            let lists = try await api.send(.get, "/v2.0/networks", headers: APIClient.tenantB)
            guard case .array(let visible) = lists["networks"] else { Issue.record("no list"); return }
            #expect(visible.compactMap { $0["id"]?.stringValue } == [t.provider])
            // Members may not create external networks; readers may not write at all.
            let external = try await api.send(.post, "/v2.0/networks", .object(["network": .object(["router:external": .bool(true)])]), headers: APIClient.tenantB)
            #expect(external.status == 403)
            #expect(external.errorType == "PolicyNotAuthorized")
            let reader = try await api.send(.post, "/v2.0/networks", .object(["network": .object(["name": .string("r")])]), headers: APIClient.readerA)
            #expect(reader.status == 403)
            // A member sets a gateway on the admin's external network, as the CLI does.
            let r2 = try await api.create("/v2.0/routers", "router", ["name": .string("r2")], headers: APIClient.tenantB)
            let gw = try await api.send(.put, "/v2.0/routers/\(r2)", .object(["router": .object(["external_gateway_info": .object(["network_id": .string(t.provider)])])]), headers: APIClient.tenantB)
            #expect(gw.status == 200)
            // The admin may create for another project.
            let forB = try await api.send(.post, "/v2.0/networks", .object(["network": .object(["project_id": .string("project-b")])]))
            #expect(forB["network"]?["tenant_id"] == .string("project-b"))
        }
    }

    @Test func listQueriesPageSortAndSelectFields() async throws {
        try await withTestApp { api in
            for i in 0..<5 { _ = try await api.create("/v2.0/networks", "network", ["name": .string("n\(i)")]) }
            let page = try await api.send(.get, "/v2.0/networks?limit=2&sort_key=name&sort_dir=desc&fields=name&fields=id")
            guard case .array(let items) = page["networks"] else { Issue.record("no list"); return }
            #expect(items.compactMap { $0["name"]?.stringValue } == ["n4", "n3"])
            #expect(items.allSatisfy { Set($0.objectValue?.keys ?? []) == ["id", "name"] })
            guard case .array(let links) = page["networks_links"], let next = links.first?["href"]?.stringValue else {
                Issue.record("no next link"); return
            }
            #expect(next.contains("marker="))
            let byName = try await api.send(.get, "/v2.0/networks?name=n2")
            guard case .array(let one) = byName["networks"] else { Issue.record("no list"); return }
            #expect(one.count == 1)
        }
    }

    @Test func discoveryDocuments() async throws {
        try await withTestApp { api in
            let root = try await api.send(.get, "/")
            #expect(root["versions"]?.pythonRepr.contains("v2.0") == true)
            let ext = try await api.send(.get, "/v2.0/extensions")
            guard case .array(let list) = ext["extensions"] else { Issue.record("no extensions"); return }
            let aliases = Set(list.compactMap { $0["alias"]?.stringValue })
            #expect(aliases.isSuperset(of: ["router", "external-net", "ext-gw-mode", "provider", "pagination", "sorting", "filter-validation"]))
            #expect(!aliases.contains("external-gateway-multihoming"))
            #expect(try await api.send(.get, "/v2.0/extensions/router").status == 200)
            #expect(try await api.send(.get, "/healthcheck").status == 200)
        }
    }
}
