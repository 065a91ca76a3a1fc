import VPNaaSDomain
import VPNaaSIdentity

/// The dashboard's login with `--auth-strategy external`: the user's password goes to the external Keystone
/// (its policy, lockout and password rules apply), the session cookie holds the token Keystone issued, and
/// logout revokes it there — the same token the API accepts from that user's CLI.
package struct ExternalDashboardIdentity: DashboardIdentity {
    let keystone: ExternalKeystoneLogin

    package init(_ keystone: ExternalKeystoneLogin) { self.keystone = keystone }

    package func login(user: String, password: String, project: String?) async throws(DashboardAuthError) -> DashboardSession {
        do {
            if let project, !project.isEmpty {
                guard let scoped = try await keystone.login(user: user, password: password, projectName: project).session else {
                    throw DashboardAuthError.invalidCredentials
                }
                return try await session(scoped)
            }
            // No project typed: the first project (by name) the user has a role on.
            let unscoped = try await keystone.login(user: user, password: password, projectName: nil)
            guard let first = try await keystone.projects(unscoped.token).first else {
                await keystone.revoke(unscoped.token)
                throw DashboardAuthError.invalidCredentials
            }
            let scoped = try await keystone.rescope(unscoped.token, projectID: first.id)
            await keystone.revoke(unscoped.token)
            return try await session(scoped)
        } catch {
            throw .invalidCredentials
        }
    }

    package func session(token: String) async throws(DashboardAuthError) -> DashboardSession {
        do {
            return try await session(try await keystone.validate(token))
        } catch {
            throw .sessionEnded
        }
    }

    package func switchProject(token: String, projectID: String) async throws(DashboardAuthError) -> DashboardSession {
        do {
            _ = try await keystone.validate(token)
        } catch {
            throw .sessionEnded
        }
        let next: ExternalKeystoneLogin.Session
        do {
            next = try await keystone.rescope(token, projectID: projectID)
        } catch {
            throw .invalidCredentials
        }
        await keystone.revoke(token)
        do {
            return try await session(next)
        } catch {
            throw .sessionEnded
        }
    }

    package func logout(token: String) async {
        await keystone.revoke(token)
    }

    private func session(_ s: ExternalKeystoneLogin.Session) async throws -> DashboardSession {
        let projects = try await keystone.projects(s.token).map { DashboardSession.Project(id: $0.id, name: $0.name) }
        return DashboardSession(
            token: s.token, identity: s.identity, userName: s.userName,
            project: .init(id: s.identity.projectID, name: s.projectName), projects: projects, expiresAt: s.expiresAt)
    }
}
