import Hummingbird
import Logging
import VPNaaSAPI

import ArgumentParser

/// Runs the server for resolved settings until it is stopped: what `all-in-one` and `api` share.
func serve(_ settings: Settings) async throws {
    let logger = bootstrapLogging(settings.logLevel)
    let api = settings.resolvedAPI
    let noAgentFlag = settings.noAgent
    do {
        try await withStore(api, logger: logger) { store in
            let app = try await buildApplication(api, store: store, logger: logger, agentService: makeAgentService) { channel in
                let address = channel.localAddress.map { "\($0.ipAddress ?? api.host):\($0.port ?? api.port)" } ?? "?"
                logger.notice(
                    "vpnaasd ready",
                    metadata: [
                        "http.address": "http://\(address)", "data.dir": "\(api.dataDir)", "key.dir": "\(api.keyDirectory)",
                        "database": "\(api.databaseDescription)",
                        "auth.strategy": "\(api.authStrategy.rawValue)",
                        "agent": "\(noAgentFlag ? "disabled (--no-agent or api): VPN statuses stay as created" : "in-process")",
                        "dashboard": "\(api.dashboard && api.authStrategy != .noauth ? "http://\(address)/dashboard/" : "off")",
                    ])
            }
            try await app.runService()
        }
    } catch let error as StartupError {
        logger.critical("cannot start: \(error.description)")
        throw ExitCode(2)
    }
}

/// Logs to standard error at `level` (LOG_LEVEL); the process's logger.
func bootstrapLogging(_ level: Logger.Level) -> Logger {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
    return Logger(label: "vpnaasd")
}
