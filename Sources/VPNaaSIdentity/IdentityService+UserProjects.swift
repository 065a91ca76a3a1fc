import VPNaaSDomain
import VPNaaSStore

extension IdentityService {
    /// The enabled projects on which the user holds at least one role (Keystone's
    /// `GET /v3/users/{id}/projects` and `GET /v3/auth/projects`), by name.
    package func projects(ofUser userID: String) async throws -> [IdentityProject] {
        try await store.read { tx in
            let granted = Set(try await tx.identityRoleAssignments(projectID: nil, userID: userID).map(\.projectID))
            return try await tx.identityProjects().filter { $0.enabled && granted.contains($0.id) }
        }
    }
}
