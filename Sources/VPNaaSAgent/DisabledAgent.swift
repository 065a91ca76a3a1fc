import Foundation
import Logging
import ServiceLifecycle
import VPNaaSDomain
import VPNaaSPlan

/// Stands in for the agent when the host cannot run it: every VPN object is DOWN with the
/// reason, so nobody mistakes an API-only node for a working VPN.
package struct DisabledAgent: Service {
    let server: any AgentServer
    let board: RuntimeBoard
    let reason: String
    let logger: Logger

    package init(server: any AgentServer, board: RuntimeBoard, reason: String, logger: Logger) {
        self.server = server
        self.board = board
        self.reason = reason
        self.logger = logger
    }

    package func run() async throws {
        let changes = server.changes()
        // Registered (and kept alive) with the reason, so routers scheduled here report DOWN and why.
        let configurations = ["agent_mode": "legacy", "disabled": reason]
        try? await server.heartbeat(AgentHeartbeat(host: "", configurations: configurations, starting: true))
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { [server, logger] in
                    try? await Task.sleep(for: .seconds(10))
                    await Agent.heartbeats(server, configurations: configurations, interval: .seconds(10), logger: logger)
                }
                group.addTask { [self] in
                    await report()
                    for await _ in changes { await report() }
                }
                await group.next()
                group.cancelAll()
            }
        }
    }

    func report() async {
        do {
            let state = try await server.desiredState()
            let runtimes = Dictionary(
                state.connections.map { ($0.id, ConnectionRuntime(status: .down, lastError: reason, failureReason: .configurationError)) }, uniquingKeysWith: { a, _ in a })
            let (report, entries) = Agent.statuses(state, runtimes: runtimes)
            try await server.report(report)
            board.publish(entries)
        } catch {
            logger.error("status report failed", metadata: ["error": "\(error)"])
        }
    }
}
