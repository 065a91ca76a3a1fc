import GRDB
import VPNaaSDomain

/// Rows of the embedded identity service (migration `0003_identity`).
extension SQLiteAccess {
    func identityProject(_ id: String) throws -> IdentityProject? {
        try Row.fetchOne(db, sql: "SELECT * FROM identity_projects WHERE id = ?", arguments: [id]).map(project(from:))
    }

    func identityProjects() throws -> [IdentityProject] {
        try Row.fetchAll(db, sql: "SELECT * FROM identity_projects ORDER BY name").map(project(from:))
    }

    private func project(from row: Row) -> IdentityProject {
        IdentityProject(
            id: row["id"], name: row["name"], domainID: row["domain_id"], description: row["description"],
            enabled: row["enabled"])
    }

    func insert(_ p: IdentityProject) throws {
        try db.execute(
            sql: "INSERT INTO identity_projects (id, name, domain_id, description, enabled) VALUES (?, ?, ?, ?, ?)",
            arguments: [p.id, p.name, p.domainID, p.description, p.enabled])
    }

    func update(_ p: IdentityProject) throws {
        try db.execute(
            sql: "UPDATE identity_projects SET name = ?, description = ?, enabled = ? WHERE id = ?",
            arguments: [p.name, p.description, p.enabled, p.id])
        try requireChange("project", p.id)
    }

    func deleteIdentityProject(_ id: String) throws {
        try db.execute(sql: "DELETE FROM identity_projects WHERE id = ?", arguments: [id])
        try requireChange("project", id)
    }

    func identityUser(_ id: String) throws -> IdentityUser? {
        try Row.fetchOne(db, sql: "SELECT * FROM identity_users WHERE id = ?", arguments: [id]).map(user(from:))
    }

    func identityUsers() throws -> [IdentityUser] {
        try Row.fetchAll(db, sql: "SELECT * FROM identity_users ORDER BY name").map(user(from:))
    }

    private func user(from row: Row) -> IdentityUser {
        IdentityUser(
            id: row["id"], name: row["name"], domainID: row["domain_id"], passwordHash: row["password_hash"],
            enabled: row["enabled"], defaultProjectID: row["default_project_id"], email: row["email"],
            description: row["description"])
    }

    func insert(_ u: IdentityUser) throws {
        try db.execute(
            sql: """
                INSERT INTO identity_users (id, name, domain_id, password_hash, enabled, default_project_id, email, description)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [u.id, u.name, u.domainID, u.passwordHash, u.enabled, u.defaultProjectID, u.email, u.description])
    }

    func update(_ u: IdentityUser) throws {
        try db.execute(
            sql: """
                UPDATE identity_users SET name = ?, password_hash = ?, enabled = ?, default_project_id = ?, email = ?,
                  description = ? WHERE id = ?
                """,
            arguments: [u.name, u.passwordHash, u.enabled, u.defaultProjectID, u.email, u.description, u.id])
        try requireChange("user", u.id)
    }

    func deleteIdentityUser(_ id: String) throws {
        try db.execute(sql: "DELETE FROM identity_users WHERE id = ?", arguments: [id])
        try requireChange("user", id)
    }

    func identityRoles() throws -> [IdentityRole] {
        try Row.fetchAll(db, sql: "SELECT * FROM identity_roles ORDER BY name").map { IdentityRole(id: $0["id"], name: $0["name"]) }
    }

    func insert(_ r: IdentityRole) throws {
        try db.execute(sql: "INSERT INTO identity_roles (id, name) VALUES (?, ?)", arguments: [r.id, r.name])
    }

    func identityRoleAssignments(projectID: String?, userID: String?) throws -> [IdentityRoleAssignment] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM identity_role_assignments
                WHERE (?1 IS NULL OR project_id = ?1) AND (?2 IS NULL OR user_id = ?2)
                ORDER BY project_id, user_id, role_id
                """,
            arguments: [projectID, userID]
        ).map { IdentityRoleAssignment(projectID: $0["project_id"], userID: $0["user_id"], roleID: $0["role_id"]) }
    }

    func insert(_ a: IdentityRoleAssignment) throws {
        try db.execute(
            sql: "INSERT OR IGNORE INTO identity_role_assignments (project_id, user_id, role_id) VALUES (?, ?, ?)",
            arguments: [a.projectID, a.userID, a.roleID])
    }

    func delete(_ a: IdentityRoleAssignment) throws {
        try db.execute(
            sql: "DELETE FROM identity_role_assignments WHERE project_id = ? AND user_id = ? AND role_id = ?",
            arguments: [a.projectID, a.userID, a.roleID])
        try requireChange("role assignment", a.roleID)
    }
}
