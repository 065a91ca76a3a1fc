import Logging
import VPNaaSIdentity
import VPNaaSStore

/// Identity settings: the embedded Keystone's URL and lifetimes, and the external Keystone's service user.
package struct IdentityConfiguration: Sendable {
    /// `--public-url`: the base URL clients use (version hrefs, catalog, clouds.yaml). Without it links
    /// are built from each request's Host header.
    package var publicURL: String?
    /// Seconds an issued token stays valid.
    package var tokenLifetime: Int64 = 3600
    /// PBKDF2 rounds for new password hashes (tests lower it; stored hashes carry their own count).
    package var passwordRounds: Int = PasswordHasher.defaultRounds
    /// Bootstrap admin password; random when nil (written to `<data-dir>/admin-password`).
    package var bootstrapPassword: String?
    /// `external` mode: Keystone base URL and the service credentials used to validate tokens.
    package var keystoneURL: String?
    package var serviceUsername: String = "neutron"
    package var servicePassword: String?
    package var serviceProject: String = "service"
    /// Keystone's lockout options and the per-source login throttle.
    package var loginProtection = LoginGuard.Configuration()

    package init(publicURL: String? = nil) {
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }
}

/// How requests are authenticated, as built for one configuration.
package enum AuthSetup: Sendable {
    case noauth
    case keystone(IdentityService)
    case external(any TokenValidator)
}

extension APIConfiguration {
    package var tokenKeyDirectory: String { keyDirectory + "/token-keys" }
    /// What clouds.yaml and logs call this server when no public URL is configured.
    package var localURL: String {
        let h = (host == "0.0.0.0" || host == "::" || host.isEmpty) ? "127.0.0.1" : host
        return "http://\(h.contains(":") ? "[\(h)]" : h):\(port)"
    }
}

/// Sets up the embedded identity (keys, bootstrap) or the external validator.
package func makeAuth(_ configuration: APIConfiguration, store: any Store, logger: Logger) async throws -> AuthSetup {
    switch configuration.authStrategy {
    case .noauth:
        return .noauth
    case .keystone:
        let ring: TokenKeyRing
        let persistent = configuration.database.isPersistent
        if persistent {
            do {
                ring = try TokenKeyRing.loadOrCreate(directory: configuration.tokenKeyDirectory)
            } catch {
                throw StartupError("cannot load token keys in \(configuration.tokenKeyDirectory): \(error)")
            }
        } else {
            ring = .random()
        }
        let identity = IdentityService(
            store: store, codec: TokenCodec(ring: ring), hasher: PasswordHasher(rounds: configuration.identity.passwordRounds),
            tokenLifetime: configuration.identity.tokenLifetime, loginProtection: configuration.identity.loginProtection)
        let result = try await IdentityBootstrap.run(
            identity, dataDir: persistent ? configuration.dataDir : nil,
            authURL: configuration.identity.publicURL ?? configuration.localURL, password: configuration.identity.bootstrapPassword)
        if result.created && persistent {
            // Paths only: the password itself never reaches a log.
            logger.notice(
                "identity bootstrapped: user admin, project admin",
                metadata: ["password.file": "\(result.passwordFile)", "clouds.yaml": "\(result.cloudsFile)"])
        }
        return .keystone(identity)
    case .external:
        guard let url = configuration.identity.keystoneURL else {
            throw StartupError("--auth-strategy external needs --keystone-url")
        }
        guard let password = configuration.identity.servicePassword else {
            throw StartupError("--auth-strategy external needs the service user's password (VPNAAS_KEYSTONE_PASSWORD)")
        }
        return .external(
            ExternalKeystoneValidator(
                keystoneURL: url, username: configuration.identity.serviceUsername, password: password,
                project: configuration.identity.serviceProject, logger: logger))
    }
}

/// `vpnaasd rotate-token-keys`: adds a new primary token key and keeps the newest `keep`. A running
/// server picks the ring up at its next start; tokens sealed with a pruned key stop validating.
package func rotateTokenKeys(_ configuration: APIConfiguration, keep: Int) throws -> (primary: Int, kept: [Int]) {
    try createKeyDirectory(configuration)
    do {
        let ring = try TokenKeyRing.rotate(directory: configuration.tokenKeyDirectory, keep: keep)
        return (ring.primary.number, ring.keys.map(\.number))
    } catch {
        throw StartupError("cannot rotate token keys in \(configuration.tokenKeyDirectory): \(error)")
    }
}
