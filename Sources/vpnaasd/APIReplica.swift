import ArgumentParser
import VPNaaSAPI

/// `vpnaasd api`: the API, the embedded identity and the dashboard without any agent, so several of
/// them can serve one database side by side (replicas behind a load balancer). Nothing here touches
/// namespaces or charon: VPN statuses stay as the store has them until an agent reports.
struct APIReplica: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Serve the API and identity only (no agent); several replicas may share one database and key directory.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var serving: ServeOptions

    func run() async throws {
        // No agent whatever the environment or config file say: that is what this subcommand is.
        try await serve(try serving.settings(common, noAgent: true))
    }
}
