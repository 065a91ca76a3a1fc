import GRDB

extension SQLiteStore {
    /// `0007_legacy_crypto`: the policy tables' CHECKs also admit `sha1` and `3des`, which the API accepts
    /// when the operator turns on `allow_legacy_crypto` (the use-cases refuse them otherwise). SQLite cannot
    /// alter a CHECK, so both tables are rebuilt (GRDB runs migrations with foreign keys deferred and checks
    /// them all before committing). Self-contained: the value lists are spelled out here, not shared.
    static func registerLegacyCryptoMigration(_ migrator: inout DatabaseMigrator) {
        let auth = "'sha1', 'sha256', 'sha384', 'sha512', 'aes-xcbc', 'aes-cmac'"
        var ciphers: [String] = ["3des"]
        for base in ["aes-128", "aes-192", "aes-256"] {
            ciphers += [base, base + "-ctr"]
            for mode in ["ccm", "gcm"] {
                for icv in ["8", "12", "16"] { ciphers.append("\(base)-\(mode)-\(icv)") }
            }
        }
        let enc = ciphers.map { "'\($0)'" }.joined(separator: ", ")
        let pfs = (["group2", "group5"] + (14...31).map { "group\($0)" }).map { "'\($0)'" }.joined(separator: ", ")
        migrator.registerMigration("0007_legacy_crypto") { db in
            try db.execute(
                sql: """
                    CREATE TABLE vpn_ikepolicies_new (
                        id TEXT PRIMARY KEY NOT NULL,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        auth_algorithm TEXT NOT NULL CHECK (auth_algorithm IN (\(auth))),
                        encryption_algorithm TEXT NOT NULL CHECK (encryption_algorithm IN (\(enc))),
                        phase1_negotiation_mode TEXT NOT NULL CHECK (phase1_negotiation_mode IN ('main', 'aggressive')),
                        lifetime_units TEXT NOT NULL CHECK (lifetime_units IN ('seconds')),
                        lifetime_value INTEGER NOT NULL CHECK (lifetime_value >= 60),
                        ike_version TEXT NOT NULL CHECK (ike_version IN ('v1', 'v2')),
                        pfs TEXT NOT NULL CHECK (pfs IN (\(pfs)))
                    );
                    INSERT INTO vpn_ikepolicies_new
                        SELECT id, project_id, name, description, auth_algorithm, encryption_algorithm,
                               phase1_negotiation_mode, lifetime_units, lifetime_value, ike_version, pfs
                        FROM vpn_ikepolicies;
                    DROP TABLE vpn_ikepolicies;
                    ALTER TABLE vpn_ikepolicies_new RENAME TO vpn_ikepolicies;

                    CREATE TABLE vpn_ipsecpolicies_new (
                        id TEXT PRIMARY KEY NOT NULL,
                        project_id TEXT NOT NULL,
                        name TEXT NOT NULL CHECK (length(name) <= 255),
                        description TEXT NOT NULL CHECK (length(description) <= 255),
                        transform_protocol TEXT NOT NULL CHECK (transform_protocol IN ('esp', 'ah', 'ah-esp')),
                        auth_algorithm TEXT NOT NULL CHECK (auth_algorithm IN (\(auth))),
                        encryption_algorithm TEXT NOT NULL CHECK (encryption_algorithm IN (\(enc))),
                        encapsulation_mode TEXT NOT NULL CHECK (encapsulation_mode IN ('tunnel', 'transport')),
                        lifetime_units TEXT NOT NULL CHECK (lifetime_units IN ('seconds')),
                        lifetime_value INTEGER NOT NULL CHECK (lifetime_value >= 60),
                        pfs TEXT NOT NULL CHECK (pfs IN (\(pfs)))
                    );
                    INSERT INTO vpn_ipsecpolicies_new
                        SELECT id, project_id, name, description, transform_protocol, auth_algorithm, encryption_algorithm,
                               encapsulation_mode, lifetime_units, lifetime_value, pfs
                        FROM vpn_ipsecpolicies;
                    DROP TABLE vpn_ipsecpolicies;
                    ALTER TABLE vpn_ipsecpolicies_new RENAME TO vpn_ipsecpolicies;
                    """)
        }
    }
}
