import VPNaaSDomain

/// The agent's view of the server: desired state in, statuses out, and a wake-up on every change
/// (no polling delay). The agent module knows the server only through it (never the store or the
/// use-cases); in `all-in-one` the API module implements it in-process, a remote agent would speak HTTP.
package protocol AgentServer: Sendable {
    /// The desired state of the routers scheduled to this agent's host (the server schedules unplaced ones first).
    func desiredState() async throws -> DesiredState
    func report(_ report: VPNStatusReport) async throws
    /// Appends tunnel events to the connections' event logs (the server applies retention).
    func record(_ events: [ConnectionEvent]) async throws
    func changes() -> AsyncStream<Void>
    /// The agent's report about itself (registers its host on the first one; `starting` on a process's first).
    func heartbeat(_ beat: AgentHeartbeat) async throws
    /// The data-plane figures of this host's connections (states, reasons, counters) for the server's status
    /// sub-resource and `/metrics`: the whole picture of this host each time.
    func publish(_ entries: [IPsecSiteConnection.ID: RuntimeBoard.Entry]) async throws
}

extension AgentServer {
    /// In-process servers share the agent's board: nothing to send.
    package func publish(_ entries: [IPsecSiteConnection.ID: RuntimeBoard.Entry]) async throws {}
}
