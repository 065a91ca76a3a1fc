import Hummingbird
import VPNaaSDomain
import VPNaaSIdentity
import VPNaaSWire

/// `/v3/projects`, `/v3/users`, `/v3/roles`, grants, `/v3/role_assignments` and `/v3/domains`.
extension KeystoneRoutes {
    func registerAdmin(on router: Hummingbird.Router<APIRequestContext>) {
        let identity = identity

        // Projects
        router.get("/v3/projects") { request, _ in
            let me = try await caller(request)
            let q = Query(request)
            let items = try await identity.projects(me).filter {
                q.matches("name", $0.name) && q.matches("domain_id", $0.domainID) && q.matchesBool("enabled", $0.enabled)
            }
            return JSONResponse.make(KeystoneRoutes.list("projects", items.map { KeystoneRoutes.render($0, base: base(request)) }, base: base(request), path: "/v3/projects"))
        }
        router.get("/v3/projects/:id") { request, context in
            let me = try await caller(request)
            let p = try await identity.project(me, id: try context.parameters.require("id"))
            return JSONResponse.make(["project": .object(KeystoneRoutes.render(p, base: base(request)))])
        }
        router.post("/v3/projects") { request, _ in
            let me = try await caller(request)
            let body = try await KeystoneBody.json(request)
            guard let p = body["project"], let name = p["name"]?.stringValue else {
                throw KeystoneError.badRequest("Invalid input for field 'project': 'name' is a required property.")
            }
            let created = try await identity.createProject(
                me, name: name, description: p["description"]?.stringValue ?? "", enabled: p["enabled"]?.boolValue ?? true,
                domainID: p["domain_id"]?.stringValue)
            return JSONResponse.make(["project": .object(KeystoneRoutes.render(created, base: base(request)))], status: .created)
        }
        router.patch("/v3/projects/:id") { request, context in
            let me = try await caller(request)
            let body = try await KeystoneBody.json(request)
            guard let p = body["project"] else { throw KeystoneError.badRequest("Expecting to find project in request body.") }
            let updated = try await identity.updateProject(
                me, id: try context.parameters.require("id"), name: p["name"]?.stringValue,
                description: p["description"]?.stringValue, enabled: p["enabled"]?.boolValue)
            return JSONResponse.make(["project": .object(KeystoneRoutes.render(updated, base: base(request)))])
        }
        router.delete("/v3/projects/:id") { request, context in
            try await identity.deleteProject(try await caller(request), id: try context.parameters.require("id"))
            return JSONResponse.noContent
        }

        // Users
        router.get("/v3/users") { request, _ in
            let me = try await caller(request)
            let q = Query(request)
            let items = try await identity.users(me).filter {
                q.matches("name", $0.name) && q.matches("domain_id", $0.domainID) && q.matchesBool("enabled", $0.enabled)
            }
            return JSONResponse.make(KeystoneRoutes.list("users", items.map { KeystoneRoutes.render($0, base: base(request)) }, base: base(request), path: "/v3/users"))
        }
        router.get("/v3/users/:id") { request, context in
            let me = try await caller(request)
            let u = try await identity.user(me, id: try context.parameters.require("id"))
            return JSONResponse.make(["user": .object(KeystoneRoutes.render(u, base: base(request)))])
        }
        router.post("/v3/users") { request, _ in
            let me = try await caller(request)
            let body = try await KeystoneBody.json(request)
            guard let u = body["user"], let name = u["name"]?.stringValue else {
                throw KeystoneError.badRequest("Invalid input for field 'user': 'name' is a required property.")
            }
            let created = try await identity.createUser(
                me, name: name, domainID: u["domain_id"]?.stringValue, changes: KeystoneRoutes.userChanges(u))
            return JSONResponse.make(["user": .object(KeystoneRoutes.render(created, base: base(request)))], status: .created)
        }
        router.patch("/v3/users/:id") { request, context in
            let me = try await caller(request)
            let body = try await KeystoneBody.json(request)
            guard let u = body["user"] else { throw KeystoneError.badRequest("Expecting to find user in request body.") }
            let updated = try await identity.updateUser(me, id: try context.parameters.require("id"), changes: KeystoneRoutes.userChanges(u))
            return JSONResponse.make(["user": .object(KeystoneRoutes.render(updated, base: base(request)))])
        }
        router.delete("/v3/users/:id") { request, context in
            try await identity.deleteUser(try await caller(request), id: try context.parameters.require("id"))
            return JSONResponse.noContent
        }

        // Roles and grants
        router.get("/v3/roles") { request, _ in
            let me = try await caller(request)
            let q = Query(request)
            let items = try await identity.roles(me).filter { q.matches("name", $0.name) }
            return JSONResponse.make(KeystoneRoutes.list("roles", items.map { KeystoneRoutes.render($0, base: base(request)) }, base: base(request), path: "/v3/roles"))
        }
        router.get("/v3/roles/:id") { request, context in
            let me = try await caller(request)
            let id = try context.parameters.require("id")
            guard let r = try await identity.roles(me).first(where: { $0.id == id }) else { throw KeystoneError.notFound("role", id) }
            return JSONResponse.make(["role": .object(KeystoneRoutes.render(r, base: base(request)))])
        }
        for method in [HTTPRequest.Method.put, .delete, .head] {
            router.on("/v3/projects/:id/users/:user/roles/:role", method: method) { request, context in
                let me = try await caller(request)
                let grant = IdentityRoleAssignment(
                    projectID: try context.parameters.require("id"), userID: try context.parameters.require("user"),
                    roleID: try context.parameters.require("role"))
                if method == .head {
                    let direct = try await identity.assignments(me, projectID: grant.projectID, userID: grant.userID, roleID: grant.roleID, effective: false)
                    guard direct.contains(grant) else { throw KeystoneError.notFound("role assignment", grant.roleID) }
                } else {
                    try await identity.grant(me, grant, revoke: method == .delete)
                }
                return JSONResponse.noContent
            }
        }
        router.get("/v3/role_assignments") { request, _ in
            let me = try await caller(request)
            let q = Query(request)
            let names = q.has("include_names")
            let found = try await identity.assignments(
                me, projectID: q["scope.project.id"], userID: q["user.id"], roleID: q["role.id"], effective: q.has("effective"))
            // Group, domain and system assignments do not exist here, so asking for them finds nothing.
            let none = q["group.id"] != nil || q["scope.domain.id"] != nil || q["scope.system"] != nil
            let lookup = try await names ? AssignmentNames.load(identity, me) : AssignmentNames()
            let items: [JSONObject] = none ? [] : found.map { a in
                var role: JSONObject = ["id": .string(a.roleID)]
                var user: JSONObject = ["id": .string(a.userID)]
                var project: JSONObject = ["id": .string(a.projectID)]
                if names {
                    role["name"] = .string(lookup.roles[a.roleID] ?? "")
                    user["name"] = .string(lookup.users[a.userID] ?? "")
                    user["domain"] = KeystoneRoutes.defaultDomain
                    project["name"] = .string(lookup.projects[a.projectID] ?? "")
                    project["domain"] = KeystoneRoutes.defaultDomain
                }
                return [
                    "role": .object(role), "user": .object(user), "scope": .object(["project": .object(project)]),
                    "links": .object(["assignment": .string("\(base(request))/v3/projects/\(a.projectID)/users/\(a.userID)/roles/\(a.roleID)")]),
                ]
            }
            return JSONResponse.make(KeystoneRoutes.list("role_assignments", items, base: base(request), path: "/v3/role_assignments"))
        }

        // Domains: only Default.
        router.get("/v3/domains") { request, _ in
            _ = try await caller(request)
            let q = Query(request)
            let matches = q.matches("name", IdentityDomain.defaultName) && q.matches("id", IdentityDomain.defaultID)
            return JSONResponse.make(
                KeystoneRoutes.list("domains", matches ? [KeystoneRoutes.renderDomain(base: base(request))] : [], base: base(request), path: "/v3/domains"))
        }
        router.get("/v3/domains/:id") { request, context in
            _ = try await caller(request)
            let id = try context.parameters.require("id")
            guard id == IdentityDomain.defaultID else { throw KeystoneError.notFound("domain", id) }
            return JSONResponse.make(["domain": .object(KeystoneRoutes.renderDomain(base: base(request)))])
        }
    }

    static func userChanges(_ u: JSONValue) -> IdentityService.UserChanges {
        var c = IdentityService.UserChanges()
        c.name = u["name"]?.stringValue
        c.password = u["password"]?.stringValue
        c.enabled = u["enabled"]?.boolValue
        if let d = u["default_project_id"] { c.defaultProjectID = .some(d.stringValue) }
        if let e = u["email"] { c.email = .some(e.stringValue) }
        c.description = u["description"]?.stringValue
        return c
    }
}

/// Id → name maps for `include_names`.
struct AssignmentNames {
    var roles: [String: String] = [:]
    var users: [String: String] = [:]
    var projects: [String: String] = [:]

    static func load(_ identity: IdentityService, _ me: IssuedToken) async throws -> AssignmentNames {
        var n = AssignmentNames()
        for r in try await identity.roles(me) { n.roles[r.id] = r.name }
        for u in try await identity.users(me) { n.users[u.id] = u.name }
        for p in try await identity.projects(me) { n.projects[p.id] = p.name }
        return n
    }
}

/// Keystone list filters: exact matches on the given keys.
struct Query {
    let items: [(String, String)]

    init(_ request: Request) { items = QueryString.items(request.uri.query) }

    subscript(_ key: String) -> String? { items.first { $0.0 == key }?.1 }
    func has(_ key: String) -> Bool { items.contains { $0.0 == key } }
    func matches(_ key: String, _ value: String) -> Bool { self[key].map { $0 == value } ?? true }
    func matchesBool(_ key: String, _ value: Bool) -> Bool {
        self[key].map { ["true", "1", "yes"].contains($0.lowercased()) == value } ?? true
    }
}

extension JSONValue {
    var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
}
