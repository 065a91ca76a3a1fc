import HTTPTypes
import Testing
import VPNaaSWire

/// `keystone` mode through the real application: discovery, tokens, identity admin and Neutron's
/// policy driven by token identities.
@Suite struct KeystoneAPITests {
    static let authToken = HTTPField.Name("X-Auth-Token")!
    static let subjectToken = HTTPField.Name("X-Subject-Token")!

    static func auth(_ token: String) -> HTTPFields { [authToken: token] }

    /// POST /v3/auth/tokens with a password, scoped to a project by name; returns the token.
    static func login(_ api: APIClient, _ user: String, _ password: String, project: String) async throws -> String {
        let answer = try await api.send(.post, "/v3/auth/tokens", passwordBody(user, password, project: project))
        #expect(answer.status == 201, "login \(user): \(String(describing: answer.json))")
        return try #require(answer.headers[subjectToken])
    }

    static func passwordBody(_ user: String, _ password: String, project: String) -> JSONValue {
        .object([
            "auth": .object([
                "identity": .object([
                    "methods": .array([.string("password")]),
                    "password": .object([
                        "user": .object(["name": .string(user), "password": .string(password), "domain": .object(["name": .string("Default")])])
                    ]),
                ]),
                "scope": .object(["project": .object(["name": .string(project), "domain": .object(["id": .string("default")])])]),
            ])
        ])
    }

    /// A project with a user holding `role` there; returns (project id, user id).
    @discardableResult
    static func tenant(_ api: APIClient, admin: String, _ name: String, role: String = "member", user: String? = nil) async throws -> (String, String) {
        let h = auth(admin)
        var project = try await api.send(.get, "/v3/projects?name=\(name)", headers: h)["projects"]?[0]?["id"]?.stringValue
        if project == nil {
            let created = try await api.send(.post, "/v3/projects", .object(["project": .object(["name": .string(name)])]), headers: h)
            #expect(created.status == 201)
            project = created["project"]?["id"]?.stringValue
        }
        let projectID = try #require(project)
        let userAnswer = try await api.send(
            .post, "/v3/users",
            .object(["user": .object(["name": .string(user ?? name), "password": .string("pw-\(user ?? name)"), "default_project_id": .string(projectID)])]),
            headers: h)
        #expect(userAnswer.status == 201)
        let userID = try #require(userAnswer["user"]?["id"]?.stringValue)
        let roles = try await api.send(.get, "/v3/roles?name=\(role)", headers: h)
        let roleID = try #require(roles["roles"]?[0]?["id"]?.stringValue)
        let granted = try await api.send(.put, "/v3/projects/\(projectID)/users/\(userID)/roles/\(roleID)", headers: h)
        #expect(granted.status == 204)
        return (projectID, userID)
    }

    @Test func versionDiscoveryAtRootAndV3() async throws {
        try await withKeystoneApp { api in
            let root = try await api.send(.get, "/")
            #expect(root.status == 300)
            let href = try #require(root["versions"]?["values"]?[0]?["links"]?[0]?["href"]?.stringValue)
            #expect(href.hasPrefix("http://") && href.hasSuffix("/v3/"))
            let v3 = try await api.send(.get, "/v3")
            #expect(v3.status == 200)
            #expect(v3["version"]?["id"]?.stringValue == "v3.14")
            #expect(v3["version"]?["status"]?.stringValue == "stable")
        }
    }

    @Test func passwordTokenHasCatalogRolesAndExpiry() async throws {
        try await withKeystoneApp { api in
            let answer = try await api.send(.post, "/v3/auth/tokens", Self.passwordBody("admin", testAdminPassword, project: "admin"))
            #expect(answer.status == 201)
            #expect(!(answer.headers[Self.subjectToken] ?? "").isEmpty)
            let token = try #require(answer["token"])
            #expect(token["expires_at"]?.stringValue?.hasSuffix(".000000Z") == true)
            #expect(token["project"]?["name"]?.stringValue == "admin")
            #expect(token["user"]?["name"]?.stringValue == "admin")
            guard case .array(let roles)? = token["roles"], case .array(let catalog)? = token["catalog"] else {
                Issue.record("roles/catalog missing")
                return
            }
            #expect(Set(roles.compactMap { $0["name"]?.stringValue }) == ["admin", "member", "reader"])
            #expect(Set(catalog.compactMap { $0["type"]?.stringValue }) == ["identity", "network"])
            for service in catalog {
                guard case .array(let endpoints)? = service["endpoints"] else { continue }
                #expect(Set(endpoints.compactMap { $0["interface"]?.stringValue }) == ["public", "internal", "admin"])
                #expect(endpoints.allSatisfy { $0["region_id"]?.stringValue == "RegionOne" })
            }
            let wrong = try await api.send(.post, "/v3/auth/tokens", Self.passwordBody("admin", "nope", project: "admin"))
            #expect(wrong.status == 401)
            #expect(wrong["error"]?["code"] == .int(401))
            #expect(wrong["error"]?["title"]?.stringValue == "Unauthorized")
        }
    }

    @Test func neutronNeedsAValidToken() async throws {
        try await withKeystoneApp { api in
            let none = try await api.send(.get, "/v2.0/networks")
            #expect(none.status == 401)
            #expect(none["error"]?["message"]?.stringValue == "The request you have made requires authentication.")
            let forged = try await api.send(.get, "/v2.0/networks", headers: Self.auth("gAAAAQAAAAEbogus"))
            #expect(forged.status == 401)
            #expect(try await api.send(.get, "/healthcheck").status == 200)
            let token = try await Self.login(api, "admin", testAdminPassword, project: "admin")
            #expect(try await api.send(.get, "/v2.0/networks", headers: Self.auth(token)).status == 200)
        }
    }

    @Test func tokenValidationAndRevocationThroughTheAPI() async throws {
        try await withKeystoneApp { api in
            let admin = try await Self.login(api, "admin", testAdminPassword, project: "admin")
            let (leftProject, leftUser) = try await Self.tenant(api, admin: admin, "left")
            let left = try await Self.login(api, "left", "pw-left", project: "left")
            var h = Self.auth(admin)
            h[Self.subjectToken] = left
            let validated = try await api.send(.get, "/v3/auth/tokens", headers: h)
            #expect(validated.status == 200)
            #expect(validated["token"]?["project"]?["id"]?.stringValue == leftProject)
            var mine = Self.auth(left)
            mine[Self.subjectToken] = left
            #expect(try await api.send(.get, "/v3/auth/tokens", headers: mine).status == 200)
            var other = Self.auth(left)
            other[Self.subjectToken] = admin
            #expect(try await api.send(.get, "/v3/auth/tokens", headers: other).status == 403)

            #expect(try await api.send(.get, "/v2.0/routers", headers: Self.auth(left)).status == 200)
            let disabled = try await api.send(
                .patch, "/v3/users/\(leftUser)", .object(["user": .object(["enabled": .bool(false)])]), headers: Self.auth(admin))
            #expect(disabled.status == 200)
            #expect(disabled["user"]?["enabled"] == .bool(false))
            #expect(try await api.send(.get, "/v2.0/routers", headers: Self.auth(left)).status == 401)
            _ = try await api.send(.patch, "/v3/users/\(leftUser)", .object(["user": .object(["enabled": .bool(true)])]), headers: Self.auth(admin))
            #expect(try await api.send(.get, "/v2.0/routers", headers: Self.auth(left)).status == 200)
            #expect(try await api.send(.delete, "/v3/projects/\(leftProject)", headers: Self.auth(admin)).status == 204)
            #expect(try await api.send(.get, "/v2.0/routers", headers: Self.auth(left)).status == 401)
        }
    }

    @Test func identityAdminIsAdminOnlyAndKeystoneShaped() async throws {
        try await withKeystoneApp { api in
            let admin = try await Self.login(api, "admin", testAdminPassword, project: "admin")
            try await Self.tenant(api, admin: admin, "left")
            let left = try await Self.login(api, "left", "pw-left", project: "left")
            let anonymous = try await api.send(.get, "/v3/projects")
            #expect(anonymous.status == 401)
            #expect(anonymous["error"]?["code"] == .int(401))
            let forbidden = try await api.send(.post, "/v3/projects", .object(["project": .object(["name": .string("x")])]), headers: Self.auth(left))
            #expect(forbidden.status == 403)
            #expect(forbidden["error"]?["title"]?.stringValue == "Forbidden")
            let duplicate = try await api.send(.post, "/v3/projects", .object(["project": .object(["name": .string("left")])]), headers: Self.auth(admin))
            #expect(duplicate.status == 409)
            let unknown = try await api.send(.get, "/v3/projects/nope", headers: Self.auth(admin))
            #expect(unknown.status == 404)
            #expect(unknown["error"]?["code"] == .int(404))
            let domains = try await api.send(.get, "/v3/domains?name=Default", headers: Self.auth(left))
            #expect(domains["domains"]?[0]?["id"]?.stringValue == "default")
            let assignments = try await api.send(.get, "/v3/role_assignments?include_names=1&scope.project.name=left", headers: Self.auth(admin))
            #expect(assignments.status == 200)
        }
    }

    /// Neutron's default policy with real tokens: project isolation, external networks visible but not
    /// their subnets, admin-only attributes, readers cannot write, admins create for other projects.
    @Test func neutronPolicyFollowsTokenIdentity() async throws {
        try await withKeystoneApp { api in
            let admin = try await Self.login(api, "admin", testAdminPassword, project: "admin")
            let (leftProject, _) = try await Self.tenant(api, admin: admin, "left")
            let (rightProject, _) = try await Self.tenant(api, admin: admin, "right")
            try await Self.tenant(api, admin: admin, "left", role: "reader", user: "left-reader")
            let left = Self.auth(try await Self.login(api, "left", "pw-left", project: "left"))
            let right = Self.auth(try await Self.login(api, "right", "pw-right", project: "right"))
            let reader = Self.auth(try await Self.login(api, "left-reader", "pw-left-reader", project: "left"))
            let a = Self.auth(admin)

            let provider = try await api.create("/v2.0/networks", "network", ["name": .string("provider"), "router:external": .bool(true)], headers: a)
            let providerSubnet = try await api.create(
                "/v2.0/subnets", "subnet",
                ["network_id": .string(provider), "ip_version": .int(6), "cidr": .string("2001:db8:0:1::/64")], headers: a)
            let net = try await api.create("/v2.0/networks", "network", ["name": .string("left-net")], headers: left)

            let leftNetworks = try await api.send(.get, "/v2.0/networks", headers: left)
            guard case .array(let visible)? = leftNetworks["networks"] else { Issue.record("no list"); return }
            #expect(Set(visible.compactMap { $0["id"]?.stringValue }) == [provider, net])
            let leftSubnets = try await api.send(.get, "/v2.0/subnets", headers: left)
            #expect(leftSubnets["subnets"] == .array([]))
            #expect(try await api.send(.get, "/v2.0/subnets/\(providerSubnet)", headers: left).status == 404)

            #expect(try await api.send(.get, "/v2.0/networks/\(net)", headers: right).status == 404)
            #expect(try await api.send(.delete, "/v2.0/networks/\(net)", headers: right).status == 404)
            let external = try await api.send(
                .put, "/v2.0/networks/\(net)", .object(["network": .object(["router:external": .bool(true)])]), headers: left)
            #expect(external.status == 403)

            #expect(try await api.send(.get, "/v2.0/networks/\(net)", headers: reader).status == 200)
            let readerWrite = try await api.send(.post, "/v2.0/vpn/ikepolicies", .object(["ikepolicy": .object(["name": .string("r")])]), headers: reader)
            #expect(readerWrite.status == 403)

            let forLeft = try await api.send(
                .post, "/v2.0/vpn/ikepolicies", .object(["ikepolicy": .object(["name": .string("p"), "project_id": .string(leftProject)])]), headers: a)
            #expect(forLeft.status == 201)
            #expect(forLeft["ikepolicy"]?["project_id"]?.stringValue == leftProject)
            let policyID = try #require(forLeft["ikepolicy"]?["id"]?.stringValue)
            #expect(try await api.send(.get, "/v2.0/vpn/ikepolicies/\(policyID)", headers: left).status == 200)
            #expect(try await api.send(.get, "/v2.0/vpn/ikepolicies/\(policyID)", headers: right).status == 404)
            let smuggled = try await api.send(
                .post, "/v2.0/vpn/ikepolicies", .object(["ikepolicy": .object(["name": .string("p"), "project_id": .string(rightProject)])]), headers: left)
            #expect(smuggled.status == 403)
        }
    }
}

extension JSONValue {
    /// Array element, nil when out of range or not an array (tests only).
    subscript(_ index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }
}
