import Configuration
import Foundation
import VPNaaSCore
import VPNaaSDomain
import VPNaaSIdentity
import VPNaaSStore

extension APIConfiguration {
    /// The keys this configuration owns, as documented in the README (file key; environment
    /// `VPNAAS_<KEY>`; the matching flag where there is one). Secrets are read as secrets, so an
    /// access reporter never prints them.
    package static let settingKeys = [
        "data_dir", "key_dir", "database", "bind", "auth_strategy", "public_url", "keystone_url", "keystone_username",
        "keystone_password", "keystone_project", "bootstrap_password", "token_expiration", "physical_networks", "dashboard",
        "allow_legacy_crypto", "lockout_failure_attempts", "lockout_duration", "login_throttle_failures",
        "login_throttle_window", "audit_max_events", "audit_max_age_days", "agent_down_time",
    ] + QuotaResource.allCases.map { "quota_\($0.rawValue)" }

    /// Keys whose values are secrets.
    package static let secretKeys: Set<String> = ["keystone_password", "bootstrap_password", "database"]

    /// Applies every key of this configuration that `config` has; unset keys keep their value.
    package mutating func read(_ config: ConfigReader) throws(SettingError) {
        func value(_ key: String) -> String? { config.setting(key, secret: Self.secretKeys.contains(key)) }
        if let dir = value("data_dir") { dataDir = dir }
        if let dir = value("key_dir") { keyDir = dir }
        if let text = value("database") {
            do {
                database = .url(try DatabaseURL(parsing: text))
            } catch {
                throw SettingError("--database: \(error.description)")
            }
        }
        if let bind = value("bind") { try apply(bind: bind) }
        if let text = value("auth_strategy") {
            guard let strategy = AuthStrategy(rawValue: text) else {
                throw SettingError("--auth-strategy must be one of keystone, external, noauth; got '\(text)'")
            }
            authStrategy = strategy
        }
        if let url = value("public_url") { identity.publicURL = try Self.clean(url, "--public-url") }
        if let url = value("keystone_url") { identity.keystoneURL = try Self.clean(url, "--keystone-url") }
        if let user = value("keystone_username") { identity.serviceUsername = user }
        if let password = value("keystone_password") { identity.servicePassword = password }
        if let project = value("keystone_project") { identity.serviceProject = project }
        if let password = value("bootstrap_password") { identity.bootstrapPassword = password }
        if let text = value("agent_down_time") {
            guard let seconds = Int64(text), seconds >= 2, seconds <= 86400 else {
                throw SettingError("agent_down_time must be seconds between 2 and 86400; got '\(text)'")
            }
            agentDownTime = seconds
        }
        if let lifetime = value("token_expiration") {
            guard let seconds = Int64(lifetime), seconds >= 60 else { throw SettingError("token_expiration must be seconds >= 60") }
            identity.tokenLifetime = seconds
        }
        if let physnets = value("physical_networks") {
            let names = physnets.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard let first = names.first else { throw SettingError("physical_networks must name at least one network") }
            networking.physicalNetworks = names
            networking.defaultPhysicalNetwork = first
        }
        if let flag = value("dashboard") { dashboard = Self.truthy(flag) }
        if let flag = value("allow_legacy_crypto") { allowLegacyCrypto = Self.truthy(flag) }
        try readLoginProtection(value)
        try readQuotasAndAudit(value)
    }

    /// `HOST:PORT`, the host optionally in brackets (IPv6).
    mutating func apply(bind: String) throws(SettingError) {
        guard let colon = bind.lastIndex(of: ":"), let port = Int(bind[bind.index(after: colon)...]), (0...65535).contains(port)
        else { throw SettingError("--bind must be HOST:PORT, got '\(bind)'") }
        var host = String(bind[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host
        self.port = port
    }

    /// Login keys: lockout_failure_attempts (off when unset), lockout_duration (1800 s),
    /// login_throttle_failures (5), login_throttle_window (60 s).
    private mutating func readLoginProtection(_ value: (String) -> String?) throws(SettingError) {
        func int(_ key: String, min: Int64) throws(SettingError) -> Int64? {
            guard let text = value(key) else { return nil }
            guard let n = Int64(text), n >= min else { throw SettingError("\(key) must be an integer >= \(min), got '\(text)'") }
            return n
        }
        if let n = try int("lockout_failure_attempts", min: 1) { identity.loginProtection.lockoutFailureAttempts = Int(n) }
        if let n = try int("lockout_duration", min: 1) { identity.loginProtection.lockoutDuration = n }
        if let n = try int("login_throttle_failures", min: 1) { identity.loginProtection.throttleFailures = Int(n) }
        if let n = try int("login_throttle_window", min: 1) { identity.loginProtection.throttleWindow = n }
    }

    /// `quota_<resource>` (e.g. `quota_router`, `VPNAAS_QUOTA_ROUTER`): default limits, -1 = unlimited;
    /// `audit_max_events`, `audit_max_age_days`: audit-trail retention.
    private mutating func readQuotasAndAudit(_ value: (String) -> String?) throws(SettingError) {
        for resource in QuotaResource.allCases {
            let key = "quota_\(resource.rawValue)"
            guard let text = value(key) else { continue }
            guard let n = Int(text), n >= -1 else { throw SettingError("\(key) must be an integer >= -1 (-1 = unlimited); got '\(text)'") }
            quotaDefaults[resource] = n
        }
        if let text = value("audit_max_events") {
            guard let n = Int(text), n >= 1 else { throw SettingError("audit_max_events must be an integer >= 1; got '\(text)'") }
            auditRetention.maxEvents = n
        }
        if let text = value("audit_max_age_days") {
            guard let n = Int64(text), n >= 1 else { throw SettingError("audit_max_age_days must be an integer >= 1; got '\(text)'") }
            auditRetention.maxAgeSeconds = n * 86_400
        }
    }

    /// URLs without a trailing slash, checked to be http(s) so links built from them work.
    static func clean(_ url: String, _ flag: String) throws(SettingError) -> String {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw SettingError("\(flag) must be an http(s) URL, got '\(url)'") }
        var u = url
        while u.hasSuffix("/") { u.removeLast() }
        return u
    }

    /// The spellings of "on" the settings have always accepted.
    package static func truthy(_ s: String) -> Bool { ["1", "true", "yes", "on"].contains(s.lowercased()) }
}
