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

