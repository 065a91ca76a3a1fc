import Configuration
import VPNaaSPlan
import VPNaaSCore
import VPNaaSDomain

extension AgentConfiguration {
    /// The keys this configuration owns (file key; environment `VPNAAS_<KEY>`).
    package static let settingKeys = [
        "physical_network_mappings", "ipsec_backend", "agent_state_dir", "agent_socket_dir", "agent_cleanup_on_exit",
        "agent_resync_seconds", "agent_max_routers", "event_retention_count", "event_retention_seconds", "agent_host",
        "agent_report_interval", "tunnel_local_ip", "agent_fence_time",
    ]

    /// Applies every key of this configuration that `config` has; unset keys keep their value.
    package mutating func read(_ config: ConfigReader) throws(SettingError) {
        func value(_ key: String) -> String? { config.setting(key) }
        if let text = value("physical_network_mappings") {
            do {
                physicalNetworks = try AgentLayout.parseMappings(text)
            } catch {
                throw SettingError(error.description)
            }
        }
        if let text = value("ipsec_backend") {
            guard let backend = Backend(rawValue: text) else {
                throw SettingError("ipsec_backend must be one of auto, xfrm, libipsec; got '\(text)'")
            }
            self.backend = backend
        }
        if let dir = value("agent_state_dir") { stateDir = dir }
        if let dir = value("agent_socket_dir") { socketDir = dir }
        if let flag = value("agent_cleanup_on_exit") { cleanupOnExit = APIConfiguration.truthy(flag) }
        if let text = value("event_retention_count") {
            guard let n = Int(text), n >= 1 else { throw SettingError("event_retention_count must be an integer >= 1, got '\(text)'") }
            eventRetention.count = n
        }
        if let text = value("event_retention_seconds") {
            guard let n = Int64(text), n >= 60 else { throw SettingError("event_retention_seconds must be seconds >= 60, got '\(text)'") }
            eventRetention.maxAgeSeconds = n
        }
        if let text = value("agent_resync_seconds") {
            guard let n = Double(text), n >= 0.1, n <= 3600 else {
                throw SettingError("agent_resync_seconds must be seconds between 0.1 and 3600; got '\(text)'")
            }
            resync = .milliseconds(Int64(n * 1000))
        }
        if let name = value("agent_host") {
            guard !name.isEmpty, name.count <= 255 else { throw SettingError("agent_host must be 1 to 255 characters") }
            host = name
        }
        if let text = value("agent_fence_time") {
            guard let n = Double(text), n >= 0, n <= 86400 else {
                throw SettingError("agent_fence_time must be seconds between 0 (never) and 86400; got '\(text)'")
            }
            fenceAfter = n == 0 ? nil : .milliseconds(Int64(n * 1000))
            fenceConfigured = true
        }
        if let text = value("tunnel_local_ip") {
            guard let address = IPAddress(text) else { throw SettingError("tunnel_local_ip must be an IP address; got '\(text)'") }
            tunnelLocalIP = address.description
        }
        if let text = value("agent_report_interval") {
            guard let n = Double(text), n >= 0.5, n <= 600 else {
                throw SettingError("agent_report_interval must be seconds between 0.5 and 600; got '\(text)'")
            }
            reportInterval = .milliseconds(Int64(n * 1000))
        }
        if let text = value("agent_max_routers") {
            guard let n = Int(text), n >= 0 else { throw SettingError("agent_max_routers must be an integer >= 0 (0 = no limit); got '\(text)'") }
            maxVPNRouters = n == 0 ? nil : n
        }
    }
}
