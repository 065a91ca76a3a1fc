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

    package static func run(_ service: IdentityService, dataDir: String?, authURL: String, password given: String? = nil) async throws -> Result {
        let passwordFile = (dataDir ?? ".") + "/admin-password"
        let cloudsFile = (dataDir ?? ".") + "/clouds.yaml"
        let password = given ?? randomPassword()
        let newID = service.newID
        let needed = try await service.store.read { tx in try await !tx.identityUsers().contains(where: { $0.name == "admin" }) }
        // The slow KDF runs only when there is an admin to create: later starts stay fast.
        let hash = needed ? try service.hasher.hash(password) : nil
        // Files first: if the process dies between the two steps, the password is on disk rather than
        // committed to the database and lost.
        if needed, dataDir != nil {
            try SecureFile.write(password + "\n", to: passwordFile)
            try SecureFile.write(cloudsYAML(authURL: authURL, password: password), to: cloudsFile)
        }
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
            let admin = try await tx.identityRoles().first { $0.name == "admin" }!
            try await tx.insert(IdentityRoleAssignment(projectID: project.id, userID: user.id, roleID: admin.id))
            return true
        }
        return Result(created: created, passwordFile: passwordFile, cloudsFile: cloudsFile)
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
