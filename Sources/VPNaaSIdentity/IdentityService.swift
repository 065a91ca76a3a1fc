import Logging
import VPNaaSDomain
import VPNaaSStore

import Foundation

/// A validated (or just issued) token with everything the Keystone and Neutron APIs need to answer.
package struct IssuedToken: Sendable {
    package var token: String
    package var payload: TokenPayload
    package var user: IdentityUser
    package var project: IdentityProject?
    /// Effective roles on the project: granted ones plus the ones they imply.
    package var roles: [IdentityRole]

    /// The Neutron-side caller; nil for an unscoped token, which Neutron refuses.
    package var identity: Identity? {
        project.map { Identity(projectID: $0.id, userID: user.id, roles: Set(roles.map(\.name))) }
    }

    package var isAdmin: Bool { roles.contains { $0.name == "admin" } }
}

/// Checks an `X-Auth-Token` and says who is calling. The embedded identity service and the external
/// Keystone client both implement it, so the API middleware does not care which one runs.
package protocol TokenValidator: Sendable {
    func identity(forToken token: String) async throws -> Identity
}

/// The embedded Keystone v3 subset: password and token authentication, signed expiring tokens,
/// and the users, projects and role grants operators manage with the `openstack` CLI.
package struct IdentityService: Sendable, TokenValidator {
    package let store: any Store
    package let codec: TokenCodec
    package let hasher: PasswordHasher
    /// Seconds a token lives (Keystone's default is one hour).
    package let tokenLifetime: Int64
    package let now: @Sendable () -> Int64
    package let newID: @Sendable () -> String
    /// Lockout and per-source throttling of password attempts.
    package let loginGuard: LoginGuard

    package init(
        store: any Store, codec: TokenCodec, hasher: PasswordHasher = PasswordHasher(), tokenLifetime: Int64 = 3600,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
        newID: @escaping @Sendable () -> String = { IdentityService.keystoneID() },
        loginProtection: LoginGuard.Configuration = .init()
    ) {
        self.store = store
        self.codec = codec
        self.hasher = hasher
        self.tokenLifetime = tokenLifetime
        self.now = now
        self.newID = newID
        self.loginGuard = LoginGuard(loginProtection, now: now)
    }

    /// Keystone's id format: 32 lowercase hex digits.
    package static func keystoneID() -> String {
        UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// The names every deployment has; `admin` implies `member` implies `reader` (Keystone's defaults).
    package static let standardRoles = ["admin", "member", "reader"]
    static let implied: [String: [String]] = ["admin": ["member", "reader"], "member": ["reader"]]

    // MARK: - Authentication

    package struct UserReference: Sendable {
        package var id: String?
        package var name: String?
        package var domainID: String?
        package var domainName: String?
        package init(id: String? = nil, name: String? = nil, domainID: String? = nil, domainName: String? = nil) {
            self.id = id
            self.name = name
            self.domainID = domainID
            self.domainName = domainName
        }
    }

    package enum Scope: Sendable {
        case projectID(String)
        case projectName(String, domainID: String?, domainName: String?)
        /// `"scope": "unscoped"`: a token for the user alone, even with a default project (Horizon's first login step).
        case unscoped
    }

    /// The `password` method. Wrong user, wrong password and disabled user all answer the same 401; a locked
    /// user a 401 saying so; a throttled source (`source`: the client's address) a 429 before any KDF runs.
    package func authenticate(user ref: UserReference, password: String, scope: Scope?, source: String? = nil) async throws
        -> IssuedToken
    {
        do {
            try await loginGuard.admit(source: source)
        } catch {
            // A throttled source waits before its 429 (no CPU spent): a flood's clients then send one attempt
            // per second each instead of hammering the server with instant refusals.
            try? await Task.sleep(for: loginGuard.refusalDelay)
            throw error
        }
        var userID: String?
        var verified = false
        let result: Result<IssuedToken, any Error>
        do {
            let user = try await store.read { tx in try await IdentityService.findUser(ref, tx) }
            if let user {
                try await loginGuard.checkLock(userID: user.id)
                userID = user.id
            }
            let hasher = hasher
            // An unknown user costs the same KDF run as a known one, so timing does not reveal which names exist.
            let decoy = "pbkdf2-sha256$\(hasher.rounds)$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
            let target = user?.passwordHash ?? decoy
            let matches = try await PasswordHasher.offload { hasher.verify(password, against: target) && user?.passwordHash != nil }
            guard let user, user.enabled, matches else {
                throw KeystoneError.unauthorized("The request you have made requires authentication.")
            }
            verified = true
            result = .success(try await issue(userID: user.id, scope: scope, methods: ["password"], expiresAt: nil))
        } catch {
            result = .failure(error)
        }
        // A locked user's attempts (userID still nil) count against the source but do not extend the lock.
        await loginGuard.finish(source: source, userID: userID, success: verified)
        return try result.get()
    }

    /// The `token` method: a new token for the same user, possibly rescoped, never outliving the old one.
    package func authenticate(token: String, scope: Scope?) async throws -> IssuedToken {
        let old = try codec.open(token, now: now())
        let current = try await validate(token)
        let target = scope ?? old.projectID.map { .projectID($0) }
        return try await issue(
            userID: current.user.id, scope: target, methods: Array(Set(old.methods + ["token"])).sorted(),
            expiresAt: old.expiresAt)
    }

    private func issue(userID: String, scope: Scope?, methods: [String], expiresAt: Int64?) async throws -> IssuedToken {
        let issuedAt = now()
        let resolved = try await store.read { tx -> (IdentityUser, IdentityProject?, [IdentityRole])? in
            guard let user = try await tx.identityUser(userID), user.enabled else { return nil }
            var project: IdentityProject?
            switch scope {
            case .unscoped?: return (user, nil, [])
            case .projectID(let id)?: project = try await tx.identityProject(id)
            case .projectName(let name, let domainID, let domainName)?:
                guard IdentityDomain.isDefault(id: domainID, name: domainName) else { return (user, nil, []) }
                project = try await tx.identityProjects().first { $0.name == name }
            case nil:
                // Keystone scopes to the default project when none is asked for.
                if let id = user.defaultProjectID { project = try await tx.identityProject(id) }
            }
            guard let project else { return (user, nil, []) }
            return await (user, project, try IdentityService.effectiveRoles(tx, projectID: project.id, userID: user.id))
        }
        guard let (user, project, roles) = resolved else { throw KeystoneError.unauthorized() }
        if let scope, case .unscoped = scope {
            // Deliberately unscoped: no project, no roles.
        } else if scope != nil {
            guard let project, project.enabled else {
                throw KeystoneError.unauthorized("Could not find project or the project is disabled.")
            }
            guard !roles.isEmpty else {
                throw KeystoneError.unauthorized("User \(user.id) has no access to project \(project.id)")
            }
        }
        let scoped = (project?.enabled == true && !roles.isEmpty) ? project : nil
        let payload = TokenPayload(
            userID: user.id, projectID: scoped?.id, methods: methods, issuedAt: issuedAt,
            expiresAt: min(expiresAt ?? Int64.max, issuedAt + tokenLifetime), auditID: Base64URL.encode(randomBytes(16)))
        return IssuedToken(token: try codec.seal(payload), payload: payload, user: user, project: scoped, roles: scoped == nil ? [] : roles)
    }

    /// Opens the token and re-checks the user, project and grants behind it: a disabled or deleted user
    /// or project, or a revoked last role, ends the token before it expires.
    package func validate(_ token: String) async throws -> IssuedToken {
        let payload = try codec.open(token, now: now())
        let found = try await store.read { tx -> (IdentityUser, IdentityProject?, [IdentityRole])? in
            guard try await !tx.isTokenRevoked(auditID: payload.auditID) else { return nil }
            guard let user = try await tx.identityUser(payload.userID), user.enabled else { return nil }
            guard let projectID = payload.projectID else { return (user, nil, []) }
            guard let project = try await tx.identityProject(projectID), project.enabled else { return nil }
            let roles = try await IdentityService.effectiveRoles(tx, projectID: projectID, userID: user.id)
            return roles.isEmpty ? nil : (user, project, roles)
        }
        guard let (user, project, roles) = found else { throw KeystoneError.unauthorized() }
        return IssuedToken(token: token, payload: payload, user: user, project: project, roles: roles)
    }

    package func identity(forToken token: String) async throws -> Identity {
        guard let identity = try await validate(token).identity else {
            throw KeystoneError.unauthorized("The request you have made requires authentication.")
        }
        return identity
    }

    // MARK: - Helpers shared with the admin use-cases

    static func findUser(_ ref: UserReference, _ tx: any StoreReader) async throws -> IdentityUser? {
        if let id = ref.id { return try await tx.identityUser(id) }
        guard let name = ref.name, IdentityDomain.isDefault(id: ref.domainID, name: ref.domainName) else { return nil }
        return try await tx.identityUsers().first { $0.name == name }
    }

    /// Granted roles plus the roles they imply, in Keystone's order (implied first).
    static func effectiveRoles(_ tx: any StoreReader, projectID: String, userID: String) async throws -> [IdentityRole] {
        let all = try await tx.identityRoles()
        let granted = Set(try await tx.identityRoleAssignments(projectID: projectID, userID: userID).map(\.roleID))
        var names = Set(all.filter { granted.contains($0.id) }.map(\.name))
        for name in names { names.formUnion(implied[name] ?? []) }
        return all.filter { names.contains($0.name) }
    }

    func randomBytes(_ n: Int) -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<n).map { _ in UInt8.random(in: 0...255, using: &g) }
    }
}
