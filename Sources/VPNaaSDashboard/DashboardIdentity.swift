import VPNaaSDomain

/// Who is logged in to the dashboard: the Keystone token kept in the session cookie and what it stands for.
package struct DashboardSession: Sendable {
    package struct Project: Sendable, Equatable {
        package var id: String
        package var name: String
        package init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    package var token: String
    package var identity: Identity
    package var userName: String
    package var project: Project
    /// Projects the user may switch to (with a role there).
    package var projects: [Project]
    /// Seconds since the epoch when the token, and so the session, ends.
    package var expiresAt: Int64

    package init(token: String, identity: Identity, userName: String, project: Project, projects: [Project], expiresAt: Int64) {
        self.token = token
        self.identity = identity
        self.userName = userName
        self.project = project
        self.projects = projects
        self.expiresAt = expiresAt
    }
}

/// Why a login or a session check failed, in words for the login page.
package enum DashboardAuthError: Error, Equatable, Sendable {
    /// Wrong user, password or project, or no role there (one message, as Keystone gives one 401).
    case invalidCredentials
    /// The token expired, was revoked, or its user/project/role went away.
    case sessionEnded
}

/// What the dashboard needs from an identity service. The embedded Keystone implements it; so can a
/// client of an external Keystone.
package protocol DashboardIdentity: Sendable {
    /// A project-scoped session; `project` nil means the user's default project, else the first one with a role.
    func login(user: String, password: String, project: String?) async throws(DashboardAuthError) -> DashboardSession
    func session(token: String) async throws(DashboardAuthError) -> DashboardSession
    /// A new session on another project; the old token is revoked.
    func switchProject(token: String, projectID: String) async throws(DashboardAuthError) -> DashboardSession
    /// Ends the token everywhere (logout).
    func logout(token: String) async
}
