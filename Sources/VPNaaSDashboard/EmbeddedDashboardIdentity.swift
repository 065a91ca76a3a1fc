import VPNaaSDomain
import VPNaaSIdentity

/// The dashboard's login against the embedded Keystone: the same password check, tokens and revocation as
/// `POST /v3/auth/tokens` and `DELETE /v3/auth/tokens`.
package struct EmbeddedDashboardIdentity: DashboardIdentity {
    let service: IdentityService

    package init(_ service: IdentityService) { self.service = service }

    package func login(user: String, password: String, project: String?) async throws(DashboardAuthError) -> DashboardSession {
        do {
            let unscoped = try await service.authenticate(user: .init(name: user, domainID: "default"), password: password, scope: nil)
            let scope: IdentityService.Scope
            if let project, !project.isEmpty {
                scope = .projectName(project, domainID: "default", domainName: nil)
            } else if let own = unscoped.project {
                scope = .projectID(own.id)
            } else if let first = try await service.projects(ofUser: unscoped.user.id).first {
                scope = .projectID(first.id)
            } else {
                throw DashboardAuthError.invalidCredentials
            }
            let scoped = try await service.authenticate(token: unscoped.token, scope: scope)
            try? await service.revoke(unscoped.token)
            return try await session(scoped)
        } catch {
            throw .invalidCredentials
        }
    }

    package func session(token: String) async throws(DashboardAuthError) -> DashboardSession {
        do {
            return try await session(try await service.validate(token))
        } catch {
            throw .sessionEnded
        }
    }

    package func switchProject(token: String, projectID: String) async throws(DashboardAuthError) -> DashboardSession {
        let next: IssuedToken
        do {
            _ = try await service.validate(token)
        } catch {
            throw .sessionEnded
        }
        do {
            next = try await service.authenticate(token: token, scope: .projectID(projectID))
        } catch {
            throw .invalidCredentials
        }
        try? await service.revoke(token)
        do {
            return try await session(next)
        } catch {
            throw .sessionEnded
        }
    }

    package func logout(token: String) async {
        try? await service.revoke(token)
    }

    private func session(_ issued: IssuedToken) async throws -> DashboardSession {
        guard let identity = issued.identity, let project = issued.project else { throw DashboardAuthError.sessionEnded }
        let projects = try await service.projects(ofUser: issued.user.id).map { DashboardSession.Project(id: $0.id, name: $0.name) }
        return DashboardSession(
            token: issued.token, identity: identity, userName: issued.user.name,
            project: .init(id: project.id, name: project.name), projects: projects, expiresAt: issued.payload.expiresAt)
    }
}
