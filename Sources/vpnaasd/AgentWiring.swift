import Logging
import NetNS
import ServiceLifecycle
import VPNaaSAPI
import VPNaaSAgent
import VPNaaSPlan

/// Builds the agent service for a configuration: the real one when the host can run it, else a
/// stand-in that reports everything DOWN with the reason.
/// The executable's `AgentServiceFactory`: the API module never sees the agent.
@Sendable func makeAgentService(
    _ configuration: AgentConfiguration, dataDir: String, server: any AgentServer, board: RuntimeBoard, logger: Logger
) async -> any Service {
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
    layout.tunnelLocalIP = configuration.tunnelLocalIP
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
        resync: configuration.resync, cleanupOnExit: configuration.cleanupOnExit, reportInterval: configuration.reportInterval,
        fenceAfter: configuration.fenceAfter,
        logger: agentLogger)
}
