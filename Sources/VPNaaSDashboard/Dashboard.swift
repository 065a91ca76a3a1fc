import Hummingbird
import Logging
import VPNaaSCore
import VPNaaSDomain
import VPNaaSWire

/// The web console served by `vpnaasd` itself at `/dashboard/`: server-rendered pages over the same
/// use-cases the Neutron API calls (so the same rules, errors and policy), a session that is a Keystone
/// token in an HttpOnly cookie, and a little JavaScript for live status — every form works without it.
package struct Dashboard: Sendable {
    package struct Configuration: Sendable {
        /// Mark cookies `Secure` (the server, or the proxy in front of it, speaks TLS).
        package var secureCookies: Bool
        package init(secureCookies: Bool = false) {
            self.secureCookies = secureCookies
        }
    }

    /// Telemetry and diagnostics of one connection, provided by whoever runs the data plane. Optional parts
    /// appear on the page only when the server has them.
    package struct Telemetry: Sendable {
        /// The status sub-resource's object (state, counters, reason…), for a connection the caller may see.
        package var status: @Sendable (IPsecSiteConnection) async throws -> JSONObject
        /// The connection's recent events, newest first, in the API's wire shape (`time`, `type`, …).
        package var events: (@Sendable (IPsecSiteConnection.ID, Identity) async throws -> [JSONObject])?
        /// Device types the other side's configuration can be rendered for: (id, label).
        package var peerConfigDevices: [(id: String, label: String)]
        /// The other side's configuration for one device type, as the API's `peer-config` renders it (the
        /// dashboard serves it as a download, since a browser link cannot carry the API's token header).
        package var peerConfig: (@Sendable (IPsecSiteConnection.ID, String, Identity) async throws -> String)?

        package init(
            status: @escaping @Sendable (IPsecSiteConnection) async throws -> JSONObject,
            events: (@Sendable (IPsecSiteConnection.ID, Identity) async throws -> [JSONObject])? = nil,
            peerConfigDevices: [(id: String, label: String)] = [],
            peerConfig: (@Sendable (IPsecSiteConnection.ID, String, Identity) async throws -> String)? = nil
        ) {
            self.status = status
            self.events = events
            self.peerConfigDevices = peerConfigDevices
            self.peerConfig = peerConfig
        }
    }

    let identity: any DashboardIdentity
    let networking: Networking
    let vpn: VPN
    let telemetry: Telemetry
    let configuration: Configuration
    let pages: [ResourcePage]
    let views = Views()
    let logger: Logger

    package init(
        identity: any DashboardIdentity, networking: Networking, vpn: VPN, telemetry: Telemetry,
        configuration: Configuration = .init(), logger: Logger = Logger(label: "vpnaasd.dashboard")
    ) {
        self.identity = identity
        self.networking = networking
        self.vpn = vpn
        self.telemetry = telemetry
        self.configuration = configuration
        self.pages = ResourcePage.catalog(networking: networking, vpn: vpn)
        self.logger = logger
    }

    func page(_ slug: String) -> ResourcePage { pages.first { $0.slug == slug }! }

    /// Mounts every page under `/dashboard`.
    package func register<Context: RequestContext>(on router: Hummingbird.Router<Context>) {
        let d = self
        let group = router.group("dashboard").add(middleware: DashboardErrorMiddleware<Context>(dashboard: d))
        d.registerStatic(on: group)
        d.registerAuth(on: group)
        d.registerOverview(on: group)
        d.registerWizard(on: group)
        d.registerRouterActions(on: group)
        d.registerConnectionLive(on: group)
        for page in pages { d.registerResource(page, on: group) }
    }
}
