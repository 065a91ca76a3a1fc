import VPNaaSDomain
import VPNaaSStore

extension IdentityService {
    /// Keystone's `DELETE /v3/auth/tokens`: ends `subject` before it expires. A user may revoke their own
    /// tokens, an admin anyone's; a token that no longer validates answers 404 as Keystone does.
    package func revoke(_ subject: String, caller: IssuedToken) async throws {
        let target: IssuedToken
        do {
            target = try await validate(subject)
        } catch {
            throw KeystoneError.notFound("token", String(subject.prefix(8)) + "…")
        }
        guard caller.isAdmin || caller.user.id == target.user.id else {
            throw KeystoneError.forbidden("identity:revoke_token")
        }
        let payload = target.payload
        let now = now()
        try await store.write { tx in try await tx.revokeToken(auditID: payload.auditID, expiresAt: payload.expiresAt, now: now) }
    }

    /// Logout: revokes a token on behalf of its own holder.
    package func revoke(_ token: String) async throws {
        let own = try await validate(token)
        try await revoke(token, caller: own)
    }
}
