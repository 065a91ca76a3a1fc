/// Keystone's identity objects as the embedded identity service stores them. Only the `Default`
/// domain exists, so domain ids are carried for the wire but never vary.
package struct IdentityProject: Sendable, Equatable {
    package var id: String
    package var name: String
    package var domainID: String
    package var description: String
    package var enabled: Bool

    package init(id: String, name: String, domainID: String = IdentityDomain.defaultID, description: String = "", enabled: Bool = true) {
        self.id = id
        self.name = name
        self.domainID = domainID
        self.description = description
        self.enabled = enabled
    }
}

package struct IdentityUser: Sendable, Equatable {
    package var id: String
    package var name: String
    package var domainID: String
    /// A self-describing KDF string (`pbkdf2-sha256$rounds$salt$hash`); never the password.
    package var passwordHash: String?
    package var enabled: Bool
    package var defaultProjectID: String?
    package var email: String?
    package var description: String

    package init(
        id: String, name: String, domainID: String = IdentityDomain.defaultID, passwordHash: String?, enabled: Bool = true,
        defaultProjectID: String? = nil, email: String? = nil, description: String = ""
    ) {
        self.id = id
        self.name = name
        self.domainID = domainID
        self.passwordHash = passwordHash
        self.enabled = enabled
        self.defaultProjectID = defaultProjectID
        self.email = email
        self.description = description
    }
}

package struct IdentityRole: Sendable, Equatable {
    package var id: String
    package var name: String

    package init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// One role granted to one user on one project.
package struct IdentityRoleAssignment: Sendable, Equatable, Hashable {
    package var projectID: String
    package var userID: String
    package var roleID: String

    package init(projectID: String, userID: String, roleID: String) {
        self.projectID = projectID
        self.userID = userID
        self.roleID = roleID
    }
}

/// The single domain.
package enum IdentityDomain {
    package static let defaultID = "default"
    package static let defaultName = "Default"

    /// Keystone accepts the domain by id or by name; both spell the one domain here.
    package static func isDefault(id: String?, name: String?) -> Bool {
        if let id { return id == defaultID }
        if let name { return name == defaultName }
        return true
    }
}
