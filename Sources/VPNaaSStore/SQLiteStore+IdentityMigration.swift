import GRDB

extension SQLiteStore {
    /// The embedded Keystone's users, projects, roles and grants. Names are unique because only the
    /// `Default` domain exists and Keystone keeps names unique per domain.
    static func registerIdentityMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("0003_identity") { db in
            try db.execute(
                sql: """
                    CREATE TABLE identity_projects (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
                        domain_id TEXT NOT NULL,
                        description TEXT NOT NULL,
                        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1))
                    );
                    CREATE TABLE identity_users (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 255),
                        domain_id TEXT NOT NULL,
                        password_hash TEXT,
                        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
                        default_project_id TEXT REFERENCES identity_projects (id) ON DELETE SET NULL,
                        email TEXT,
                        description TEXT NOT NULL
                    );
                    CREATE TABLE identity_roles (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL UNIQUE
                    );
                    CREATE TABLE identity_role_assignments (
                        project_id TEXT NOT NULL REFERENCES identity_projects (id) ON DELETE CASCADE,
                        user_id TEXT NOT NULL REFERENCES identity_users (id) ON DELETE CASCADE,
                        role_id TEXT NOT NULL REFERENCES identity_roles (id) ON DELETE CASCADE,
                        PRIMARY KEY (project_id, user_id, role_id)
                    );
                    CREATE INDEX identity_role_assignments_user ON identity_role_assignments (user_id);
                    """)
        }
    }
}
