import ArgumentParser
import Hummingbird
import Logging
import VPNaaSAPI

@main
struct VPNaaSD: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vpnaasd",
        abstract: "VPN as a Service: Neutron-compatible API and IPsec agent.",
        subcommands: [AllInOne.self, Migrate.self],
        defaultSubcommand: AllInOne.self)
}

/// Options shared by the subcommands. Each also reads `VPNAAS_*` environment variables and a
/// `key = value` config file; flags win over the environment, which wins over the file.
struct CommonOptions: ParsableArguments {
    @Option(help: "Directory for the database and generated credentials (env VPNAAS_DATA_DIR; default ./vpnaas-data).")
    var dataDir: String?

    @Option(help: "Config file with key = value lines: data_dir, bind, auth_strategy, no_agent, physical_networks (env VPNAAS_CONFIG).")
    var config: String?

    func settings() throws -> Settings {
        try Settings.load(flags: self, environment: Environment())
    }
}

struct AllInOne: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all-in-one", abstract: "Serve the API (and, when available, the agent) on the embedded SQLite store.")

    @OptionGroup var common: CommonOptions

    @Option(help: "HOST:PORT to listen on (env VPNAAS_BIND; default 127.0.0.1:9696).")
    var bind: String?

    @Option(help: "noauth or keystone (env VPNAAS_AUTH_STRATEGY; default noauth).")
    var authStrategy: String?

    @Flag(help: "Serve the API only; statuses stay as created (env VPNAAS_NO_AGENT=1).")
    var noAgent: Bool = false

    func run() async throws {
        var settings = try common.settings()
        try settings.apply(bind: bind, authStrategy: authStrategy, noAgent: noAgent ? true : nil)
        let level = settings.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "vpnaasd")
        let api = settings.resolvedAPI
        let noAgentFlag = settings.noAgent
        do {
            let app = try await buildApplication(api, logger: logger) { channel in
                let address = channel.localAddress.map { "\($0.ipAddress ?? api.host):\($0.port ?? api.port)" } ?? "?"
                logger.notice(
                    "vpnaasd ready",
                    metadata: [
                        "http.address": "http://\(address)", "data.dir": "\(api.dataDir)",
                        "auth.strategy": "\(api.authStrategy.rawValue)",
                        "agent": "\(noAgentFlag ? "disabled (--no-agent): VPN statuses stay as created" : "in-process")",
                    ])
            }
            try await app.runService()
        } catch let error as StartupError {
            logger.critical("cannot start: \(error.description)")
            throw ExitCode(2)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply database migrations and exit.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let settings = try common.settings()
        do {
            _ = try openStore(settings.api)
            print("migrations applied to \(settings.api.databasePath)")
        } catch let error as StartupError {
            print("cannot migrate: \(error.description)")
            throw ExitCode(2)
        }
    }
}
