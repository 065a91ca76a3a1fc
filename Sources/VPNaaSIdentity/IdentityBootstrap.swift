import Logging
import VPNaaSDomain
import VPNaaSStore

import Foundation

/// First start of the embedded identity: the standard roles, an `admin` project and user holding the
/// admin role, the password in `<data-dir>/admin-password` (0600) and a ready `clouds.yaml` beside it.
/// Later starts only make sure the standard roles exist; the password file is never rewritten.
package enum IdentityBootstrap {
    package static let cloudName = "vpnaas"

    package struct Result: Sendable {
        /// True when this call created the admin user (and wrote the files).
        package var created: Bool
        package var passwordFile: String
        package var cloudsFile: String
    }

    /// Safe when several replicas run it at once on one database: the check and the inserts are one
    /// write transaction, a unique violation (a concurrent replica committed first) counts as "already
    /// there", and a generated password is created once in the shared password file and reused by
    /// every racer, so the file always holds the password that was committed.
    package static func run(_ service: IdentityService, dataDir: String?, authURL: String, password given: String? = nil) async throws -> Result {
        let passwordFile = (dataDir ?? ".") + "/admin-password"
        let cloudsFile = (dataDir ?? ".") + "/clouds.yaml"
        let newID = service.newID
        let needed = try await service.store.read { tx in try await !tx.identityUsers().contains(where: { $0.name == "admin" }) }
        var password = given ?? randomPassword()
        // Files first: if the process dies between the two steps, the password is on disk rather than
        // committed to the database and lost.
        if needed, dataDir != nil {
            if given == nil {
                let onDisk = try SecureFile.createOnce(Array((password + "\n").utf8), at: passwordFile)
                password = String(decoding: onDisk, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                guard !password.isEmpty else { throw IdentitySetupError("\(passwordFile) is empty") }
            } else {
                try SecureFile.write(password + "\n", to: passwordFile)
            }
            try SecureFile.write(cloudsYAML(authURL: authURL, password: password), to: cloudsFile)
        }
        // The slow KDF runs only when there is an admin to create: later starts stay fast.
        let hash = needed ? try service.hasher.hash(password) : nil
        do {
            let created = try await service.store.write { tx -> Bool in
                let existing = Set(try await tx.identityRoles().map(\.name))
                for name in IdentityService.standardRoles where !existing.contains(name) {
                    try await tx.insert(IdentityRole(id: newID(), name: name))
                }
                guard let hash, try await !tx.identityUsers().contains(where: { $0.name == "admin" }) else { return false }
                let project = try await tx.identityProjects().first { $0.name == "admin" } ?? IdentityProject(id: newID(), name: "admin")
                if try await tx.identityProject(project.id) == nil { try await tx.insert(project) }
                let user = IdentityUser(id: newID(), name: "admin", passwordHash: hash, defaultProjectID: project.id)
                try await tx.insert(user)
                guard let admin = try await tx.identityRoles().first(where: { $0.name == "admin" }) else {
                    throw IdentitySetupError("the admin role is missing")
                }
                try await tx.insert(IdentityRoleAssignment(projectID: project.id, userID: user.id, roleID: admin.id))
                return true
            }
            return Result(created: created, passwordFile: passwordFile, cloudsFile: cloudsFile)
        } catch let error as StoreError where error.code == .uniqueViolation {
            // A replica whose transaction did not serialise with ours committed the same names first.
            let complete = try await service.store.read { tx in
                let admin = try await tx.identityUsers().contains(where: { $0.name == "admin" })
                let roles = Set(try await tx.identityRoles().map(\.name))
                return admin && roles.isSuperset(of: IdentityService.standardRoles)
            }
            guard complete else { throw error }
            return Result(created: false, passwordFile: passwordFile, cloudsFile: cloudsFile)
        }
    }

    /// `OS_CLOUD=vpnaas openstack …` with `OS_CLIENT_CONFIG_FILE` pointing here (or copy it to
    /// `~/.config/openstack/clouds.yaml`). Holds the password, hence 0600 like the password file.
    static func cloudsYAML(authURL: String, password: String) -> String {
        """
        # Written by vpnaasd on first start for the bootstrap admin. Keep it private (it holds the password).
        clouds:
          \(cloudName):
            auth:
              auth_url: \(authURL)/v3
              username: admin
              password: "\(password)"
              project_name: admin
              user_domain_name: Default
              project_domain_name: Default
            region_name: RegionOne
            interface: public
            identity_api_version: 3

        """
    }

    /// 24 characters from an alphabet that needs no quoting in shells or YAML.
    static func randomPassword() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var g = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &g)] })
    }
}
