import Configuration
import Logging
import VPNaaSAPI

import ArgumentParser
import Foundation

/// The process environment, injectable for tests. Empty variables count as unset, as they always have.
struct Environment {
    var values: [String: String] = ProcessInfo.processInfo.environment
    subscript(_ key: String) -> String? { values[key].flatMap { $0.isEmpty ? nil : $0 } }
    var nonEmpty: [String: String] { values.filter { !$0.value.isEmpty } }
}

/// Resolved settings. One swift-configuration reader layers the sources — flag, else `VPNAAS_*`
/// environment variable, else config file — and each configuration type reads its own keys from it
/// (`APIConfiguration.read`, `AgentConfiguration.read`); defaults are the types' own.
struct Settings {
    var api = APIConfiguration()
    var noAgent = false
    var agent = AgentConfiguration()
    var logLevel: Logger.Level = .info

    /// The scope every key lives under: `vpnaas.data_dir` is `VPNAAS_DATA_DIR` in the environment.
    static let scope = "vpnaas"

    /// `flags` are the command line's values by file key (`bind`, `data_dir`, …).
    static func load(flags: [String: String], configPath: String?, environment: Environment) throws -> Settings {
        let secretVariables = Set(APIConfiguration.secretKeys.map { "VPNAAS_" + $0.uppercased() })
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: scoped(flags, secret: [])),
            EnvironmentVariablesProvider(environmentVariables: environment.nonEmpty, secretsSpecifier: .specific(secretVariables)),
        ]
        if let path = configPath ?? environment["VPNAAS_CONFIG"] {
            providers.append(InMemoryProvider(name: path, values: scoped(try ConfigFile.read(path), secret: APIConfiguration.secretKeys)))
        }
        let root = ConfigReader(providers: providers)
        let config = root.scoped(to: ConfigKey([scope]))
        var s = Settings()
        do {
            try s.api.read(config)
            try s.agent.read(config)
        } catch {
            throw ValidationError(error.description)
        }
        if let flag = config.string(forKey: "no_agent"), !flag.isEmpty { s.noAgent = APIConfiguration.truthy(flag) }
        if let level = environment["LOG_LEVEL"], let parsed = Logger.Level(rawValue: level.lowercased()) { s.logLevel = parsed }
        return s
    }

    private static func scoped(_ values: [String: String], secret: Set<String>) -> [AbsoluteConfigKey: ConfigValue] {
        var out: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in values {
            out[AbsoluteConfigKey([scope, key])] = ConfigValue(.string(value), isSecret: secret.contains(key))
        }
        return out
    }

    /// The API configuration with the agent switched on unless `--no-agent`.
    var resolvedAPI: APIConfiguration {
        var api = self.api
        api.agent = noAgent ? nil : agent
        return api
    }
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
