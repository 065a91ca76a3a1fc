import VPNaaSCore
#if canImport(Glibc)
import Glibc
#endif
import VPNaaSPlan

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
    /// The name this agent registers under (one agent per host; `agent_host`, default the host name).
    package var host: String = AgentConfiguration.systemHostName()
    /// This host's underlay address for VXLAN tenant networks (`tunnel_local_ip`); nil: they stay on this host.
    package var tunnelLocalIP: String?
    /// Self-fencing after this long without reaching the server (`agent_fence_time`); nil: never. Keep it at most
    /// `agent_down_time − agent_report_interval`.
    package var fenceAfter: Duration?
    /// Whether `agent_fence_time` was given (`vpnaasd agent` defaults to 45 s when not).
    package var fenceConfigured = false
    /// How often the agent reports itself (`agent_report_interval`); well under the server's `agent_down_time`.
    package var reportInterval: Duration = .seconds(10)

    /// gethostname(2), or "localhost" when it fails.
    package static func systemHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    package init() {}
}
