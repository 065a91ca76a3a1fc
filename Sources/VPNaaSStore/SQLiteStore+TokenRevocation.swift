import GRDB

extension SQLiteStore {
    /// Revoked tokens by audit id (Keystone's revocation events), kept until the token would have
    /// expired anyway: a logout ends the token on every replica that shares the database.
    static func registerTokenRevocationMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("0006_token_revocations") { db in
            try db.execute(
                sql: """
                    CREATE TABLE identity_token_revocations (
                        audit_id TEXT PRIMARY KEY NOT NULL,
                        expires_at INTEGER NOT NULL
                    );
                    CREATE INDEX identity_token_revocations_expiry ON identity_token_revocations (expires_at);
                    """)
        }
    }
}

extension SQLiteAccess {
    func isTokenRevoked(auditID: String) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM identity_token_revocations WHERE audit_id = ?)", arguments: [auditID])
            ?? false
    }

    func revokeToken(auditID: String, expiresAt: Int64, now: Int64) throws {
        try db.execute(sql: "DELETE FROM identity_token_revocations WHERE expires_at < ?", arguments: [now])
        try db.execute(
            sql: "INSERT OR IGNORE INTO identity_token_revocations (audit_id, expires_at) VALUES (?, ?)",
            arguments: [auditID, expiresAt])
    }
}
