import Logging
import VPNaaSAPI
import VPNaaSAgent
import VPNaaSCore
import VPNaaSIdentity
import VPNaaSDomain
import VPNaaSStore

import ArgumentParser
import Foundation

/// The process environment, injectable for tests.
struct Environment {
    var values: [String: String] = ProcessInfo.processInfo.environment
    subscript(_ key: String) -> String? { values[key].flatMap { $0.isEmpty ? nil : $0 } }
}

/// Resolved settings: flag, else `VPNAAS_*` environment variable, else config file, else default.
struct Settings {
    var api = APIConfiguration()
    var noAgent = false
    var agent = AgentConfiguration()
    var logLevel: Logger.Level = .info

    static func load(flags: CommonOptions, environment: Environment) throws -> Settings {
        var file: [String: String] = [:]
        if let path = flags.config ?? environment["VPNAAS_CONFIG"] {
            file = try ConfigFile.read(path)
        }
        func value(_ key: String, flag: String? = nil) -> String? {
            flag ?? environment["VPNAAS_" + key.uppercased()] ?? file[key]
        }
        var s = Settings()
        if let dir = value("data_dir", flag: flags.dataDir) { s.api.dataDir = dir }
        if let dir = value("key_dir", flag: flags.keyDir) { s.api.keyDir = dir }
        if let database = value("database", flag: flags.database) {
            do {
                s.api.database = .url(try DatabaseURL(parsing: database))
            } catch {
                throw ValidationError("--database: \(error.description)")
            }
        }
        try s.apply(bind: value("bind"), authStrategy: value("auth_strategy"), noAgent: value("no_agent").map(Settings.truthy))
        try s.applyIdentity(publicURL: value("public_url"), keystoneURL: value("keystone_url"))
        if let user = value("keystone_username") { s.api.identity.serviceUsername = user }
        if let password = value("keystone_password") { s.api.identity.servicePassword = password }
        if let project = value("keystone_project") { s.api.identity.serviceProject = project }
        if let password = value("bootstrap_password") { s.api.identity.bootstrapPassword = password }
        if let lifetime = value("token_expiration") {
            guard let seconds = Int64(lifetime), seconds >= 60 else { throw ValidationError("token_expiration must be seconds >= 60") }
            s.api.identity.tokenLifetime = seconds
        }
        if let physnets = value("physical_networks") {
            let names = physnets.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard let first = names.first else { throw ValidationError("physical_networks must name at least one network") }
            s.api.networking.physicalNetworks = names
            s.api.networking.defaultPhysicalNetwork = first
        }
        if let dashboard = value("dashboard") { s.api.dashboard = Settings.truthy(dashboard) }
        try s.applyLoginProtection(value)
        if let legacy = value("allow_legacy_crypto") { s.api.allowLegacyCrypto = Settings.truthy(legacy) }
        try s.applyAgent(value)
        try s.applyQuotasAndAudit(value)
        if let level = environment["LOG_LEVEL"], let parsed = Logger.Level(rawValue: level.lowercased()) { s.logLevel = parsed }
        return s
    }

    mutating func apply(bind: String?, authStrategy: String?, noAgent: Bool?) throws {
        if let bind {
            guard let colon = bind.lastIndex(of: ":"), let port = Int(bind[bind.index(after: colon)...]),
                (0...65535).contains(port)
            else { throw ValidationError("--bind must be HOST:PORT, got '\(bind)'") }
            var host = String(bind[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            api.host = host
            api.port = port
        }
        if let authStrategy {
            guard let strategy = APIConfiguration.AuthStrategy(rawValue: authStrategy) else {
                throw ValidationError("--auth-strategy must be one of keystone, external, noauth; got '\(authStrategy)'")
            }
            api.authStrategy = strategy
        }
        if let noAgent { self.noAgent = noAgent }
    }

    /// Agent keys: physical_network_mappings, ipsec_backend, agent_state_dir, agent_socket_dir,
    /// agent_cleanup_on_exit, agent_resync_seconds, event_retention_count, event_retention_seconds.
    mutating func applyAgent(_ value: (String, String?) -> String?) throws {
        if let text = value("physical_network_mappings", nil) {
            do {
                agent.physicalNetworks = try AgentLayout.parseMappings(text)
            } catch {
                throw ValidationError(error.description)
            }
        }
        if let text = value("ipsec_backend", nil) {
            guard let backend = AgentConfiguration.Backend(rawValue: text) else {
                throw ValidationError("ipsec_backend must be one of auto, xfrm, libipsec; got '\(text)'")
            }
            agent.backend = backend
        }
        if let dir = value("agent_state_dir", nil) { agent.stateDir = dir }
        if let dir = value("agent_socket_dir", nil) { agent.socketDir = dir }
        if let flag = value("agent_cleanup_on_exit", nil) { agent.cleanupOnExit = Settings.truthy(flag) }
        if let text = value("event_retention_count", nil) {
            guard let n = Int(text), n >= 1 else { throw ValidationError("event_retention_count must be an integer >= 1, got '\(text)'") }
            agent.eventRetention.count = n
        }
        if let text = value("event_retention_seconds", nil) {
            guard let n = Int64(text), n >= 60 else { throw ValidationError("event_retention_seconds must be seconds >= 60, got '\(text)'") }
            agent.eventRetention.maxAgeSeconds = n
        }
        if let text = value("agent_resync_seconds", nil) {
            guard let n = Double(text), n >= 0.1, n <= 3600 else {
                throw ValidationError("agent_resync_seconds must be seconds between 0.1 and 3600; got '\(text)'")
            }
            agent.resync = .milliseconds(Int64(n * 1000))
        }
        if let text = value("agent_max_routers", nil) {
            guard let n = Int(text), n >= 0 else { throw ValidationError("agent_max_routers must be an integer >= 0 (0 = no limit); got '\(text)'") }
            agent.maxVPNRouters = n == 0 ? nil : n
        }
    }

    /// Login keys: lockout_failure_attempts (off when unset), lockout_duration (1800 s),
    /// login_throttle_failures (5), login_throttle_window (60 s).
    mutating func applyLoginProtection(_ value: (String, String?) -> String?) throws {
        func int(_ key: String, min: Int64) throws -> Int64? {
            guard let text = value(key, nil) else { return nil }
            guard let n = Int64(text), n >= min else { throw ValidationError("\(key) must be an integer >= \(min), got '\(text)'") }
            return n
        }
        if let n = try int("lockout_failure_attempts", min: 1) { api.identity.loginProtection.lockoutFailureAttempts = Int(n) }
        if let n = try int("lockout_duration", min: 1) { api.identity.loginProtection.lockoutDuration = n }
        if let n = try int("login_throttle_failures", min: 1) { api.identity.loginProtection.throttleFailures = Int(n) }
        if let n = try int("login_throttle_window", min: 1) { api.identity.loginProtection.throttleWindow = n }
    }

    /// `quota_<resource>` (e.g. `quota_router`, `VPNAAS_QUOTA_ROUTER`): default limits, -1 = unlimited;
    /// `audit_max_events`, `audit_max_age_days`: audit-trail retention.
    mutating func applyQuotasAndAudit(_ value: (String, String?) -> String?) throws {
        for resource in QuotaResource.allCases {
            let key = "quota_\(resource.rawValue)"
            guard let text = value(key, nil) else { continue }
            guard let n = Int(text), n >= -1 else { throw ValidationError("\(key) must be an integer >= -1 (-1 = unlimited); got '\(text)'") }
            api.quotaDefaults[resource] = n
        }
        if let text = value("audit_max_events", nil) {
            guard let n = Int(text), n >= 1 else { throw ValidationError("audit_max_events must be an integer >= 1; got '\(text)'") }
            api.auditRetention.maxEvents = n
        }
        if let text = value("audit_max_age_days", nil) {
            guard let n = Int64(text), n >= 1 else { throw ValidationError("audit_max_age_days must be an integer >= 1; got '\(text)'") }
            api.auditRetention.maxAgeSeconds = n * 86_400
        }
    }

    /// The API configuration with the agent switched on unless `--no-agent`.
    var resolvedAPI: APIConfiguration {
        var api = self.api
        api.agent = noAgent ? nil : agent
        return api
    }

    /// URLs without a trailing slash, checked to be http(s) so links built from them work.
    mutating func applyIdentity(publicURL: String?, keystoneURL: String?) throws {
        func clean(_ url: String, _ flag: String) throws -> String {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw ValidationError("\(flag) must be an http(s) URL, got '\(url)'") }
            var u = url
            while u.hasSuffix("/") { u.removeLast() }
            return u
        }
        if let publicURL { api.identity.publicURL = try clean(publicURL, "--public-url") }
        if let keystoneURL { api.identity.keystoneURL = try clean(keystoneURL, "--keystone-url") }
    }

    static func truthy(_ s: String) -> Bool { ["1", "true", "yes", "on"].contains(s.lowercased()) }
}

/// `key = value` lines; `#` starts a comment.
enum ConfigFile {
    static func read(_ path: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read config file \(path)")
        }
        var out: [String: String] = [:]
        for (number, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw ValidationError("\(path):\(number + 1): expected key = value")
            }
            out[trimmed[..<eq].trimmingCharacters(in: .whitespaces)] = trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        }
        return out
    }
}
