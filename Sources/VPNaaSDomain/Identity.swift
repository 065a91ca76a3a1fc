/// Who is calling: the project the request acts in and the roles held there.
package struct Identity: Sendable, Equatable {
    package var projectID: String
    package var userID: String?
    package var roles: Set<String>

    package init(projectID: String, userID: String? = nil, roles: Set<String>) {
        self.projectID = projectID
        self.userID = userID
        self.roles = Set(roles.map { $0.lowercased() })
    }

    /// Neutron's noauth identity: admin in `fake_project_id`.
    package static let noauthAdmin = Identity(projectID: "fake_project_id", roles: ["admin", "member", "reader"])

    /// No project, no role: sees only what everyone sees and may change nothing.
    package static let anonymous = Identity(projectID: "", roles: [])

    package var isAdmin: Bool { roles.contains("admin") }
    /// May change objects of its own project (member, or admin which implies it).
    package var canWrite: Bool { isAdmin || roles.contains("member") }

    /// True when an object owned by `project` is the caller's own or the caller is admin.
    package func owns(_ project: String) -> Bool { isAdmin || project == projectID }
}
