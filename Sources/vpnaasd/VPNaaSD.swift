import ArgumentParser
import Hummingbird
import Logging
import VPNaaSAPI

@main
struct VPNaaSD: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vpnaasd",
        abstract: "VPN as a Service: Neutron-compatible API and IPsec agent.",
        subcommands: [AllInOne.self, APIReplica.self, RemoteAgent.self, Migrate.self, RotateTokenKeys.self],
        defaultSubcommand: AllInOne.self)
}

/// Options shared by the subcommands. Each also reads `VPNAAS_*` environment variables and a
/// `key = value` config file; flags win over the environment, which wins over the file.
struct CommonOptions: ParsableArguments {
    @Option(help: "Directory for the database and generated credentials (env VPNAAS_DATA_DIR; default ./vpnaas-data).")
    var dataDir: String?

    @Option(help: "Directory for the PSK sealing key (secret.key) and the token keys (token-keys/); replicas given the same one share them (env VPNAAS_KEY_DIR; default: the data directory).")
    var keyDir: String?

    @Option(help: "Database URL: sqlite:///path, postgresql://USER[:PASS]@HOST[:PORT]/DB or postgresql://USER@/DB?host=/socket/dir (env VPNAAS_DATABASE; config database; default: vpnaas.sqlite in the data dir).")
    var database: String?

    @Option(help: "Config file with key = value lines: data_dir, key_dir, database, bind, auth_strategy, public_url, keystone_url, keystone_username, keystone_password, keystone_project, bootstrap_password, token_expiration, no_agent, dashboard, physical_networks, agent_max_routers, quota_<resource>, audit_max_events, audit_max_age_days, allow_legacy_crypto, lockout_failure_attempts, lockout_duration, login_throttle_failures, login_throttle_window, event_retention_count, event_retention_seconds (env VPNAAS_CONFIG).")
    var config: String?

    /// These flags by the file key they set.
    var flagValues: [String: String] {
        var flags: [String: String] = [:]
        flags["data_dir"] = dataDir
        flags["key_dir"] = keyDir
        flags["database"] = database
        return flags
    }

    func settings(_ more: [String: String] = [:]) throws -> Settings {
        try Settings.load(flags: flagValues.merging(more) { _, new in new }, configPath: config, environment: Environment())
    }
}

/// The serving options `all-in-one` and `api` share: where to listen, how to authenticate, what to serve.
struct ServeOptions: ParsableArguments {
    @Option(help: "HOST:PORT to listen on (env VPNAAS_BIND; default 127.0.0.1:9696).")
    var bind: String?

    @Option(help: "keystone (embedded identity), external (validate against --keystone-url) or noauth (env VPNAAS_AUTH_STRATEGY; default keystone).")
    var authStrategy: String?

    @Option(help: "Base URL clients reach this server at, for version links, the catalog and clouds.yaml (env VPNAAS_PUBLIC_URL; default: from each request's Host).")
    var publicURL: String?

    @Option(help: "External Keystone URL for --auth-strategy external (env VPNAAS_KEYSTONE_URL); service user from VPNAAS_KEYSTONE_USERNAME/PASSWORD/PROJECT.")
    var keystoneURL: String?

    @Flag(help: "Do not serve the web dashboard at /dashboard/ (env VPNAAS_DASHBOARD=0; config dashboard = false).")
    var noDashboard: Bool = false

    @Flag(help: "Accept sha1 and 3des in IKE/IPsec policies for peers that need them; each is logged as a warning (env VPNAAS_ALLOW_LEGACY_CRYPTO=1).")
    var allowLegacyCrypto: Bool = false

    /// The settings from the common options, with these flags on top; `noAgent` true forces the agent off.
    func settings(_ common: CommonOptions, noAgent: Bool?) throws -> Settings {
        var flags: [String: String] = [:]
        flags["bind"] = bind
        flags["auth_strategy"] = authStrategy
        flags["public_url"] = publicURL
        flags["keystone_url"] = keystoneURL
        if noDashboard { flags["dashboard"] = "false" }
        if allowLegacyCrypto { flags["allow_legacy_crypto"] = "true" }
        if let noAgent { flags["no_agent"] = noAgent ? "true" : "false" }
        var settings = try common.settings(flags)
        // `api` has no agent whatever the environment or the file say.
        if noAgent == true { settings.noAgent = true }
        return settings
    }
}

struct AllInOne: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all-in-one", abstract: "Serve the API and the agent on the embedded SQLite store (or the --database one).")

    @OptionGroup var common: CommonOptions
    @OptionGroup var serving: ServeOptions

    @Flag(help: "Serve the API only; statuses stay as created (env VPNAAS_NO_AGENT=1).")
    var noAgent: Bool = false

    func run() async throws {
        try await serve(try serving.settings(common, noAgent: noAgent ? true : nil))
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply database migrations and exit.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let settings = try common.settings()
        do {
            try await withStore(settings.api, logger: Logger(label: "vpnaasd")) { _ in }
            print("migrations applied to \(settings.api.databaseDescription)")
        } catch let error as StartupError {
            print("cannot migrate: \(error.description)")
            throw ExitCode(2)
        }
    }
}

struct RotateTokenKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-token-keys", abstract: "Add a new token-sealing key (restart the server to use it); keep the newest N.")

    @OptionGroup var common: CommonOptions

    @Option(help: "How many keys to keep; tokens sealed with older keys stop working.")
    var keep: Int = 3

    func run() async throws {
        let settings = try common.settings()
        do {
            let result = try rotateTokenKeys(settings.api, keep: max(keep, 2))
            print("token keys in \(settings.api.tokenKeyDirectory): primary \(result.primary), kept \(result.kept)")
        } catch let error as StartupError {
            print("cannot rotate: \(error.description)")
            throw ExitCode(2)
        }
    }
}
