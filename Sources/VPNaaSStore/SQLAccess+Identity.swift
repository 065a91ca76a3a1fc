
import VPNaaSDomain

/// Rows of the embedded identity service (migration `0003_identity`).
extension SQLAccess {
    func identityProject(_ id: String) async throws -> IdentityProject? {
        try await one("SELECT * FROM identity_projects WHERE id = ?", [id], project(from:))
    }

    func identityProjects() async throws -> [IdentityProject] {
        try await all("SELECT * FROM identity_projects ORDER BY name", [], project(from:))
    }

    private func project(from row: SQLRow) -> IdentityProject {
        IdentityProject(
            id: row["id"], name: row["name"], domainID: row["domain_id"], description: row["description"],
            enabled: row["enabled"])
    }

    func insert(_ p: IdentityProject) async throws {
        try await run("INSERT INTO identity_projects (id, name, domain_id, description, enabled) VALUES (?, ?, ?, ?, ?)", [p.id, p.name, p.domainID, p.description, p.enabled])
    }

    func update(_ p: IdentityProject) async throws {
        try requireChange(await run("UPDATE identity_projects SET name = ?, description = ?, enabled = ? WHERE id = ?", [p.name, p.description, p.enabled, p.id]), "project", p.id)
    }

    func deleteIdentityProject(_ id: String) async throws {
        try requireChange(await run("DELETE FROM identity_projects WHERE id = ?", [id]), "project", id)
    }

    func identityUser(_ id: String) async throws -> IdentityUser? {
        try await one("SELECT * FROM identity_users WHERE id = ?", [id], user(from:))
    }

    func identityUsers() async throws -> [IdentityUser] {
        try await all("SELECT * FROM identity_users ORDER BY name", [], user(from:))
    }

    private func user(from row: SQLRow) -> IdentityUser {
        IdentityUser(
            id: row["id"], name: row["name"], domainID: row["domain_id"], passwordHash: row["password_hash"],
            enabled: row["enabled"], defaultProjectID: row["default_project_id"], email: row["email"],
            description: row["description"])
    }

    func insert(_ u: IdentityUser) async throws {
        try await run("""
                INSERT INTO identity_users (id, name, domain_id, password_hash, enabled, default_project_id, email, description)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [u.id, u.name, u.domainID, u.passwordHash, u.enabled, u.defaultProjectID, u.email, u.description])
    }

    func update(_ u: IdentityUser) async throws {
        try requireChange(await run("""
                UPDATE identity_users SET name = ?, password_hash = ?, enabled = ?, default_project_id = ?, email = ?,
                  description = ? WHERE id = ?
                """, [u.name, u.passwordHash, u.enabled, u.defaultProjectID, u.email, u.description, u.id]), "user", u.id)
    }

    func deleteIdentityUser(_ id: String) async throws {
        try requireChange(await run("DELETE FROM identity_users WHERE id = ?", [id]), "user", id)
    }

    func identityRoles() async throws -> [IdentityRole] {
        try await all("SELECT * FROM identity_roles ORDER BY name", []){ IdentityRole(id: $0["id"], name: $0["name"]) }
    }

    func insert(_ r: IdentityRole) async throws {
        try await run("INSERT INTO identity_roles (id, name) VALUES (?, ?)", [r.id, r.name])
    }

    func identityRoleAssignments(projectID: String?, userID: String?) async throws -> [IdentityRoleAssignment] {
        try await all("""
                SELECT * FROM identity_role_assignments
                WHERE (CAST(?1 AS TEXT) IS NULL OR project_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR user_id = ?2)
                ORDER BY project_id, user_id, role_id
                """, [projectID, userID]){ IdentityRoleAssignment(projectID: $0["project_id"], userID: $0["user_id"], roleID: $0["role_id"]) }
    }

    func insert(_ a: IdentityRoleAssignment) async throws {
        try await run("INSERT INTO identity_role_assignments (project_id, user_id, role_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [a.projectID, a.userID, a.roleID])
    }

    func delete(_ a: IdentityRoleAssignment) async throws {
        try requireChange(await run("DELETE FROM identity_role_assignments WHERE project_id = ? AND user_id = ? AND role_id = ?", [a.projectID, a.userID, a.roleID]), "role assignment", a.roleID)
    }
}
