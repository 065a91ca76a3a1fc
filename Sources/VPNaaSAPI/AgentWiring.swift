import Logging
import NetNS
import ServiceLifecycle
import VPNaaSAgent
import VPNaaSCore
import VPNaaSStore

/// How the in-process agent runs (`all-in-one`).
package struct AgentConfiguration: Sendable {
    package enum Backend: String, Sendable, CaseIterable { case auto, xfrm, libipsec }

    package var physicalNetworks: [String: AgentLayout.PhysicalNetworkMapping] = [:]
    package var backend: Backend = .auto
    /// Per-router strongswan.conf, logs and pid files; default `<data-dir>/agent`.
    package var stateDir: String?
    /// VICI sockets (a Unix socket path must stay under 108 bytes, so not in the data dir).
    package var socketDir = "/run/vpnaas"
    package var resync: Duration = .seconds(1)
    /// Remove every namespace and charon on exit (tests); by default they keep running and a
    /// restarted agent adopts them.
    package var cleanupOnExit = false
    /// How much of each connection's event log is kept.
    package var eventRetention: EventRetention = .default
    /// Most routers with VPN connections this agent realises (`agent_max_routers`); nil = no limit.
    package var maxVPNRouters: Int?

    package init() {}
}

/// Builds the agent service for a configuration: the real one when the host can run it, else a
/// stand-in that reports everything DOWN with the reason.
func makeAgentService(
    _ configuration: AgentConfiguration, dataDir: String, store: any Store, feed: ChangeFeed, board: RuntimeBoard,
    logger: Logger
) async -> any Service {
    let server = InProcessAgentServer(store: store, feed: feed, retention: configuration.eventRetention)
    let forced: AgentLayout.IPsecBackend? =
        switch configuration.backend {
        case .auto: nil
        case .xfrm: .xfrm
        case .libipsec: .libipsec
        }
    let missing = AgentPrerequisites.missing(backend: forced)
    if !missing.isEmpty {
        let reason = "agent disabled: missing \(missing.joined(separator: ", ")); run as root with the strongSwan packages installed (scripts/prereqs.sh)"
        logger.warning("\(reason)")
        return DisabledAgent(server: server, board: board, reason: reason, logger: logger)
    }
    let runner = SubprocessRunner()
    var layout = AgentLayout()
    layout.physicalNetworks = configuration.physicalNetworks
    layout.maxVPNRouters = configuration.maxVPNRouters
    if let forced {
        layout.backend = forced
    } else {
        layout.backend = await AgentPrerequisites.detectBackend(runner: runner)
    }
    var agentLogger = logger
    agentLogger[metadataKey: "component"] = "agent"
    logger.notice("agent enabled", metadata: ["ipsec.backend": "\(layout.backend.rawValue)"])
    let wakeups = Agent.makeWakeups()
    let wake: @Sendable () -> Void = { wakeups.continuation.yield() }
    let process = CharonProcess(
        runner: runner, stateDir: configuration.stateDir ?? "\(dataDir)/agent", socketDir: configuration.socketDir,
        backend: layout.backend)
    return Agent(
        server: server,
        network: NetworkRealiser(
            host: NetworkHost(runner: runner, logger: agentLogger), layout: layout,
            ownershipFile: "\(configuration.stateDir ?? "\(dataDir)/agent")/namespaces.json", logger: agentLogger),
        ike: CharonFleet(process: process, logger: agentLogger, wake: wake), board: board, layout: layout, wakeups: wakeups,
        resync: configuration.resync, cleanupOnExit: configuration.cleanupOnExit, logger: agentLogger)
}
