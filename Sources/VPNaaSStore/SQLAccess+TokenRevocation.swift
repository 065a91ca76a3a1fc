import VPNaaSDomain

extension SQLAccess {
    func isTokenRevoked(auditID: String) async throws -> Bool {
        try await scalar(Bool.self, "SELECT EXISTS (SELECT 1 FROM identity_token_revocations WHERE audit_id = ?)", [auditID])
            ?? false
    }

    func revokeToken(auditID: String, expiresAt: Int64, now: Int64) async throws {
        try await run("DELETE FROM identity_token_revocations WHERE expires_at < ?", [now])
        try await run("INSERT INTO identity_token_revocations (audit_id, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING", [auditID, expiresAt])
    }
}
