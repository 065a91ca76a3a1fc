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

    @Option(help: "HOST:PORT to listen on (env VPNAAS_BIND; default 127.0.0.1:9696).")
    var bind: String?

    @Option(help: "keystone (embedded identity), external (validate against --keystone-url) or noauth (env VPNAAS_AUTH_STRATEGY; default keystone).")
    var authStrategy: String?

    @Option(help: "Base URL clients reach this server at, for version links, the catalog and clouds.yaml (env VPNAAS_PUBLIC_URL; default: from each request's Host).")
    var publicURL: String?

    @Option(help: "External Keystone URL for --auth-strategy external (env VPNAAS_KEYSTONE_URL); service user from VPNAAS_KEYSTONE_USERNAME/PASSWORD/PROJECT.")
    var keystoneURL: String?

    @Flag(help: "Do not serve the web dashboard at /dashboard/ (env VPNAAS_DASHBOARD=0; config dashboard = false).")
    var noDashboard: Bool = false

    @Flag(help: "Accept sha1 and 3des in IKE/IPsec policies for peers that need them; each is logged as a warning (env VPNAAS_ALLOW_LEGACY_CRYPTO=1).")
    var allowLegacyCrypto: Bool = false

    func run() async throws {
        var settings = try common.settings()
        // No agent whatever the environment or config file say: that is what this subcommand is.
        try settings.apply(bind: bind, authStrategy: authStrategy, noAgent: true)
        if noDashboard { settings.api.dashboard = false }
        try settings.applyIdentity(publicURL: publicURL, keystoneURL: keystoneURL)
        if allowLegacyCrypto { settings.api.allowLegacyCrypto = true }
        try await serve(settings)
    }
}
