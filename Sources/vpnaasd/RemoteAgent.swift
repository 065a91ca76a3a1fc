import ArgumentParser
import Logging
import ServiceLifecycle
import UnixSignals
import VPNaaSAPI
import VPNaaSAgentClient
import VPNaaSPlan

/// `vpnaasd agent`: one network host's agent, speaking the agent API of a remote `vpnaasd api`/`all-in-one`. It
/// registers under its host name, reports every `agent_report_interval`, realises only the routers scheduled to it
/// and wakes on every change through a long-poll.
struct RemoteAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the IPsec agent of one network host against a remote vpnaasd (its agent API).",
        discussion: """
            Logs in as VPNAAS_AGENT_USERNAME / VPNAAS_AGENT_PASSWORD in project VPNAAS_AGENT_PROJECT (default admin): a \
            user with the admin role (see the README, "Network agents"). Takes the agent settings of all-in-one \
            (physical_network_mappings, ipsec_backend, agent_state_dir, agent_socket_dir, agent_report_interval, …).
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: "The API's base URL, e.g. http://controller:9696 (env VPNAAS_SERVER).")
    var server: String?

    @Option(help: "The name this host's agent registers under (env VPNAAS_AGENT_HOST; default the host name).")
    var host: String?

    @Option(help: "Keystone's URL for the agent's login (env VPNAAS_AGENT_AUTH_URL; default: the server's embedded Keystone).")
    var authURL: String?

    func run() async throws {
        var flags: [String: String] = [:]
        flags["agent_host"] = host
        let environment = Environment()
        var settings = try common.settings(flags)
        // On a network node the server is elsewhere: fence after 45 s out of reach unless told otherwise
        // (with the server's default down time of 75 s and reports every 10 s).
        if !settings.agent.fenceConfigured { settings.agent.fenceAfter = .seconds(45) }
        guard let server = server ?? environment["VPNAAS_SERVER"] else {
            throw ValidationError("vpnaasd agent needs --server URL (or VPNAAS_SERVER)")
        }
        guard server.hasPrefix("http://") || server.hasPrefix("https://") else {
            throw ValidationError("--server must be an http:// or https:// URL; got '\(server)'")
        }
        var credentials: HTTPAgentServer.Credentials?
        if let username = environment["VPNAAS_AGENT_USERNAME"] {
            guard let password = environment["VPNAAS_AGENT_PASSWORD"] else {
                throw ValidationError("VPNAAS_AGENT_USERNAME needs VPNAAS_AGENT_PASSWORD")
            }
            credentials = .init(username: username, password: password, project: environment["VPNAAS_AGENT_PROJECT"] ?? "admin")
        }
        let logger = bootstrapLogging(settings.logLevel)
        let client = HTTPAgentServer(
            server: server, authURL: authURL ?? environment["VPNAAS_AGENT_AUTH_URL"], host: settings.agent.host,
            credentials: credentials, logger: logger)
        let agent = await makeAgentService(
            settings.agent, dataDir: settings.api.dataDir, server: client, board: RuntimeBoard(), logger: logger)
        logger.notice(
            "vpnaasd agent ready",
            metadata: [
                "server": "\(server)", "agent.host": "\(settings.agent.host)",
                "auth": "\(credentials.map { "user \($0.username), project \($0.project)" } ?? "none (the server must be noauth)")",
            ])
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: agent)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
