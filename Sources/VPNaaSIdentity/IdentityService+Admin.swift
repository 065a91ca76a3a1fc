import VPNaaSDomain
import VPNaaSStore

/// The identity administration the `openstack` CLI needs: projects, users, roles and grants.
/// Keystone's default policy: admins manage everything; anyone may read their own user and project.
extension IdentityService {
    func requireAdmin(_ caller: IssuedToken, _ action: String) throws {
        guard caller.isAdmin else { throw KeystoneError.forbidden(action) }
    }

    /// Store conflicts (a taken name) become Keystone's 409.
    func write<T: Sendable>(_ what: String, _ body: @escaping @Sendable (any StoreWriter) async throws -> T) async throws -> T {
        do {
            return try await store.write(body)
        } catch let error as StoreError where error.code == .uniqueViolation {
            throw KeystoneError.conflict(what)
        }
    }

    // MARK: Projects

    package func projects(_ caller: IssuedToken) async throws -> [IdentityProject] {
        if caller.isAdmin { return try await store.read { tx in try await tx.identityProjects() } }
        // Non-admins see their own project only, as Keystone's /v3/users/{id}/projects would show.
        return caller.project.map { [$0] } ?? []
    }

    package func project(_ caller: IssuedToken, id: String) async throws -> IdentityProject {
        guard caller.isAdmin || caller.project?.id == id,
            let p = try await store.read({ tx in try await tx.identityProject(id) })
        else {
            if caller.isAdmin { throw KeystoneError.notFound("project", id) }
            throw KeystoneError.forbidden("identity:get_project")
        }
        return p
    }

    package func createProject(_ caller: IssuedToken, name: String, description: String, enabled: Bool, domainID: String?)
        async throws -> IdentityProject
    {
        try requireAdmin(caller, "identity:create_project")
        guard domainID == nil || domainID == IdentityDomain.defaultID else { throw KeystoneError.notFound("domain", domainID ?? "") }
        guard !name.isEmpty, name.count <= 64 else { throw KeystoneError.badRequest("Invalid input for field 'name'.") }
        let p = IdentityProject(id: newID(), name: name, description: description, enabled: enabled)
        try await write("project") { tx in try await tx.insert(p) }
        return p
    }

    package func updateProject(_ caller: IssuedToken, id: String, name: String?, description: String?, enabled: Bool?)
        async throws -> IdentityProject
    {
        try requireAdmin(caller, "identity:update_project")
        return try await write("project") { tx in
            guard var p = try await tx.identityProject(id) else { throw KeystoneError.notFound("project", id) }
            if let name { p.name = name }
            if let description { p.description = description }
            if let enabled { p.enabled = enabled }
            try await tx.update(p)
            return p
        }
    }

    package func deleteProject(_ caller: IssuedToken, id: String) async throws {
        try requireAdmin(caller, "identity:delete_project")
        try await write("project") { tx in
            guard try await tx.identityProject(id) != nil else { throw KeystoneError.notFound("project", id) }
            try await tx.deleteIdentityProject(id)
        }
    }

    // MARK: Users

    package func users(_ caller: IssuedToken) async throws -> [IdentityUser] {
        if caller.isAdmin { return try await store.read { tx in try await tx.identityUsers() } }
        return [caller.user]
    }

    package func user(_ caller: IssuedToken, id: String) async throws -> IdentityUser {
        guard caller.isAdmin || caller.user.id == id else { throw KeystoneError.forbidden("identity:get_user") }
        guard let u = try await store.read({ tx in try await tx.identityUser(id) }) else { throw KeystoneError.notFound("user", id) }
        return u
    }

    package struct UserChanges: Sendable {
        package var name: String?
        package var password: String?
        package var enabled: Bool?
        /// `.some(nil)` clears it.
        package var defaultProjectID: String??
        package var email: String??
        package var description: String?
        package init() {}
    }

    package func createUser(_ caller: IssuedToken, name: String, domainID: String?, changes: UserChanges) async throws -> IdentityUser {
        try requireAdmin(caller, "identity:create_user")
        guard domainID == nil || domainID == IdentityDomain.defaultID else { throw KeystoneError.notFound("domain", domainID ?? "") }
        guard !name.isEmpty, name.count <= 255 else { throw KeystoneError.badRequest("Invalid input for field 'name'.") }
        let hasher = hasher
        let password = changes.password
        let hash = try await PasswordHasher.offload { try password.map { try hasher.hash($0) } }
        let u = IdentityUser(
            id: newID(), name: name, passwordHash: hash, enabled: changes.enabled ?? true,
            defaultProjectID: changes.defaultProjectID ?? nil, email: changes.email ?? nil, description: changes.description ?? "")
        try await write("user") { tx in
            if let project = u.defaultProjectID, try await tx.identityProject(project) == nil {
                throw KeystoneError.notFound("project", project)
            }
            try await tx.insert(u)
        }
        return u
    }

    package func updateUser(_ caller: IssuedToken, id: String, changes: UserChanges) async throws -> IdentityUser {
        try requireAdmin(caller, "identity:update_user")
        // Hash outside the transaction: the KDF is slow on purpose.
        let hasher = hasher
        let password = changes.password
        let hash = try await PasswordHasher.offload { try password.map { try hasher.hash($0) } }
        return try await write("user") { tx in
            guard var u = try await tx.identityUser(id) else { throw KeystoneError.notFound("user", id) }
            if let name = changes.name { u.name = name }
            if let hash { u.passwordHash = hash }
            if let enabled = changes.enabled { u.enabled = enabled }
            if let project = changes.defaultProjectID {
                if let project, try await tx.identityProject(project) == nil { throw KeystoneError.notFound("project", project) }
                u.defaultProjectID = project
            }
            if let email = changes.email { u.email = email }
            if let description = changes.description { u.description = description }
            try await tx.update(u)
            return u
        }
    }

    package func deleteUser(_ caller: IssuedToken, id: String) async throws {
        try requireAdmin(caller, "identity:delete_user")
        try await write("user") { tx in
            guard try await tx.identityUser(id) != nil else { throw KeystoneError.notFound("user", id) }
            try await tx.deleteIdentityUser(id)
        }
    }

    // MARK: Roles and grants

    package func roles(_ caller: IssuedToken) async throws -> [IdentityRole] {
        try await store.read { tx in try await tx.identityRoles() }
    }

    package func grant(_ caller: IssuedToken, _ a: IdentityRoleAssignment, revoke: Bool) async throws {
        try requireAdmin(caller, revoke ? "identity:revoke" : "identity:create_grant")
        try await write("role assignment") { tx in
            guard try await tx.identityProject(a.projectID) != nil else { throw KeystoneError.notFound("project", a.projectID) }
            guard try await tx.identityUser(a.userID) != nil else { throw KeystoneError.notFound("user", a.userID) }
            guard try await tx.identityRoles().contains(where: { $0.id == a.roleID }) else { throw KeystoneError.notFound("role", a.roleID) }
            if revoke {
                guard try await tx.identityRoleAssignments(projectID: a.projectID, userID: a.userID).contains(a) else {
                    throw KeystoneError.notFound("role assignment", a.roleID)
                }
                try await tx.delete(a)
            } else {
                try await tx.insert(a)
            }
        }
    }

    /// `GET /v3/role_assignments`: direct grants, or with `effective` the implied roles too.
    package func assignments(_ caller: IssuedToken, projectID: String?, userID: String?, roleID: String?, effective: Bool)
        async throws -> [IdentityRoleAssignment]
    {
        if !caller.isAdmin && userID != caller.user.id { throw KeystoneError.forbidden("identity:list_role_assignments") }
        return try await store.read { tx in
            var out: [IdentityRoleAssignment] = []
            let direct = try await tx.identityRoleAssignments(projectID: projectID, userID: userID)
            if effective {
                let pairs = Set(direct.map { [$0.projectID, $0.userID] })
                for pair in pairs.sorted(by: { $0.joined() < $1.joined() }) {
                    for role in try await IdentityService.effectiveRoles(tx, projectID: pair[0], userID: pair[1]) {
                        out.append(IdentityRoleAssignment(projectID: pair[0], userID: pair[1], roleID: role.id))
                    }
                }
            } else {
                out = direct
            }
            return out.filter { roleID == nil || $0.roleID == roleID }
        }
    }
}
