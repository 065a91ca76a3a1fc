import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import VPNaaSPlan
import VPNaaSCore
import VPNaaSDashboard
import VPNaaSDomain
import VPNaaSIdentity
import VPNaaSStore
import VPNaaSWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything `buildApplication` needs, read from flags, environment and config file by the executable.
package struct APIConfiguration: Sendable {
    package enum AuthStrategy: String, Sendable, CaseIterable {
        /// No tokens: identity from `X-Project-Id`/`X-Roles` headers, else Neutron's noauth admin.
        case noauth
        /// The embedded Keystone on the same port (the default).
        case keystone
        /// Tokens validated against another Keystone (`keystoneURL`) with a service user.
        case external
    }

    package enum Database: Sendable, Equatable {
        /// The embedded default: `<dataDir>/vpnaas.sqlite`.
        case sqliteFile
        /// A private in-memory SQLite database (tests).
        case sqliteInMemory
        /// `--database URL` / `VPNAAS_DATABASE` / config `database`: a SQLite file elsewhere, or PostgreSQL.
        case url(DatabaseURL)

        /// Whether data outlives the process (token keys and bootstrap credentials are then kept in the data dir).
        package var isPersistent: Bool { self != .sqliteInMemory }
    }

    /// `--bind` host part.
    package var host: String
    /// `--bind` port part; 0 picks a free port (tests).
    package var port: Int
    /// `--data-dir`: database, keys and generated credentials.
    package var dataDir: String
    /// `--key-dir`: the PSK sealing key and the token keys; nil: the data directory. API replicas given
    /// the same key directory accept each other's tokens and open each other's PSKs.
    package var keyDir: String?
    package var authStrategy: AuthStrategy
    package var database: Database
    package var networking: NetworkingConfiguration
    package var identity: IdentityConfiguration
    /// nil: no agent (`--no-agent`): VPN statuses stay as created, as with Neutron without agents.
    package var agent: AgentConfiguration?
    /// Serve the web dashboard at `/dashboard/` (needs the embedded identity; `--no-dashboard` turns it off).
    package var dashboard: Bool = true
    /// `allow_legacy_crypto`: accept sha1/3des in policies (with a warning per object); off by default.
    package var allowLegacyCrypto = false
    /// Limits of projects without quota rows (`quota_<resource>` settings).
    package var quotaDefaults = QuotaLimits.defaults
    /// Seconds without a report after which a network agent is dead and its routers move (`agent_down_time`).
    package var agentDownTime: Int64 = 75
    /// How much of the audit trail is kept.
    package var auditRetention = AuditRetention()

    package init(
        host: String = "127.0.0.1", port: Int = 9696, dataDir: String = "./vpnaas-data",
        authStrategy: AuthStrategy = .keystone, database: Database = .sqliteFile,
        networking: NetworkingConfiguration = .init(), identity: IdentityConfiguration = .init(),
        agent: AgentConfiguration? = nil
    ) {
        self.agent = agent
        self.host = host
        self.port = port
        self.dataDir = dataDir
        self.authStrategy = authStrategy
        self.database = database
        self.networking = networking
        self.identity = identity
    }

    package var databasePath: String { dataDir + "/vpnaas.sqlite" }
    /// Where the keys live: `--key-dir`, else the data directory.
    package var keyDirectory: String { keyDir ?? dataDir }
    /// The database for logs and messages (a PostgreSQL password masked).
    package var databaseDescription: String {
        switch database {
        case .sqliteFile: "sqlite://" + databasePath
        case .sqliteInMemory: "sqlite in memory"
        case .url(let url): url.description
        }
    }
    /// The key that seals PSKs at rest (created 0600 on first start).
    package var secretKeyPath: String { keyDirectory + "/secret.key" }
}

/// A startup failure worth one clear line to the operator.
package struct StartupError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// Opens a SQLite store for a configuration, creating the data directory (0700) when needed. PostgreSQL needs a
/// running client: use `withStore`.
package func openStore(_ configuration: APIConfiguration) throws -> any Store {
    switch configuration.database {
    case .sqliteInMemory:
        return try SQLiteStore()
    case .sqliteFile:
        return try openSQLite(path: configuration.databasePath, configuration)
    case .url(.sqlite(let path)):
        return try openSQLite(path: path, configuration)
    case .url(.postgres):
        throw StartupError("a PostgreSQL store needs its client running: open it with withStore")
    }
}

/// Runs `body` with the configuration's store: SQLite as `openStore` opens it, or PostgreSQL with its client
/// pool running (and the schema migrated) for exactly as long as `body`.
package func withStore<T: Sendable>(
    _ configuration: APIConfiguration, logger: Logger, _ body: (any Store) async throws -> T
) async throws -> T {
    guard case .url(.postgres(let url)) = configuration.database else {
        return try await body(try openStore(configuration))
    }
    let secrets = try loadSecrets(configuration)
    do {
        return try await PostgresStore.withStore(url.clientConfiguration, secrets: secrets, logger: logger) { store in
            try await body(store)
        }
    } catch let error as StoreError {
        // The cause (the server's text) goes to the log; the operator's line names the database without its password.
        logger.error("database failure", metadata: ["database": "\(configuration.databaseDescription)", "cause": "\(String(describing: error.cause))"])
        throw StartupError("cannot open database \(configuration.databaseDescription): \(error.message)")
    }
}

private func loadSecrets(_ configuration: APIConfiguration) throws -> SecretBox {
    do {
        try FileManager.default.createDirectory(
            atPath: configuration.dataDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
        throw StartupError("cannot create data directory \(configuration.dataDir): \(error)")
    }
    try createKeyDirectory(configuration)
    do {
        return try SecretBox.loadOrCreate(keyFile: configuration.secretKeyPath)
    } catch {
        throw StartupError("cannot load secret key \(configuration.secretKeyPath): \(error)")
    }
}

private func openSQLite(path: String, _ configuration: APIConfiguration) throws -> any Store {
    let secrets = try loadSecrets(configuration)
    do {
        return try SQLiteStore(path: path, secrets: secrets)
    } catch {
        throw StartupError("cannot open database \(path): \(error)")
    }
}

/// Creates the key directory (0700) when it is not the data directory and does not exist yet.
package func createKeyDirectory(_ configuration: APIConfiguration) throws {
    guard configuration.keyDirectory != configuration.dataDir else { return }
    do {
        try FileManager.default.createDirectory(
            atPath: configuration.keyDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
        throw StartupError("cannot create key directory \(configuration.keyDirectory): \(error)")
    }
}

/// Builds the agent service of `all-in-one` for its configuration; supplied by the executable, so the API module
/// never depends on the agent (it only serves the `AgentServer` protocol, in-process here).
package typealias AgentServiceFactory = @Sendable (
    _ configuration: AgentConfiguration, _ dataDir: String, _ server: any AgentServer, _ board: RuntimeBoard, _ logger: Logger
) async -> any Service

/// Builds the whole server (API, and later identity and agent) for a configuration. The executable
/// and the tests both call this; `store` is the one `withStore` opened (nil: `openStore`).
package func buildApplication(
    _ configuration: APIConfiguration, store: (any Store)? = nil, logger: Logger = Logger(label: "vpnaasd"),
    agentService: AgentServiceFactory? = nil,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let baseStore = try store ?? openStore(configuration)
    let feed = ChangeFeed()
    let store = NotifyingStore(base: baseStore, feed: feed)
    let auth = try await makeAuth(configuration, store: baseStore, logger: logger)
    let board = RuntimeBoard()
    let agentDownTime = configuration.agentDownTime
    let agents: @Sendable (any Store) -> NetworkAgents = { store in
        NetworkAgents(
            store: store, downTime: agentDownTime, now: { Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) },
            newID: { RandomID.uuid() })
    }
    var services: [any Service] = []
    // Writes made by other processes on the same PostgreSQL database wake this one's listeners too.
    if let postgres = baseStore as? PostgresStore {
        services.append(PostgresChangeListener(store: postgres, logger: logger, onChange: { feed.signal() }))
    }
    // Remote agents' figures, stored by whichever replica received them, onto this replica's board.
    services.append(RuntimeBoardSync(store: baseStore, board: board, interval: .seconds(1), logger: logger))
    if let agent = configuration.agent, let agentService {
        // The agent reaches the server only through the AgentServer protocol, here served in-process.
        let server = InProcessAgentServer(
            store: baseStore, feed: feed, host: agent.host, agents: agents(baseStore), retention: agent.eventRetention)
        services.append(await agentService(agent, configuration.dataDir, server, board, logger))
    }
    var networking = Networking(
        store: store, configuration: configuration.networking,
        now: { Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) },
        newID: { RandomID.uuid() },
        newMAC: {
            var g = SystemRandomNumberGenerator()
            return MACAddress.random(using: &g)
        },
        routerGuards: VPN.routerGuards)
    networking.quotaDefaults = configuration.quotaDefaults
    var vpn = VPN(
        store: store, newID: { RandomID.uuid() }, agentManaged: configuration.agent != nil,
        legacyCrypto: LegacyCrypto(allowed: configuration.allowLegacyCrypto, logger: logger))
    vpn.quotaDefaults = configuration.quotaDefaults
    let agentRetention = configuration.agent?.eventRetention ?? .default
    let agentAPI = AgentAPI(
        server: { host in
            InProcessAgentServer(
                store: baseStore, feed: feed, host: host, agents: agents(baseStore), board: board, retention: agentRetention)
        }, feed: feed)
    let router = buildRouter(
        networking: networking, vpn: vpn, board: board, configuration: configuration, auth: auth, agentAPI: agentAPI)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "vpnaasd"),
        services: services,
        onServerRunning: onServerRunning,
        logger: logger)
}

/// What the agent API (`/v2.0/agent-api/…`, for agents on other hosts) serves from: the in-process agent server
/// for a host, and the change feed its long-poll follows.
package struct AgentAPI: Sendable {
    package var server: @Sendable (String) -> InProcessAgentServer
    package var feed: ChangeFeed

    package init(server: @escaping @Sendable (String) -> InProcessAgentServer, feed: ChangeFeed) {
        self.server = server
        self.feed = feed
    }
}

/// The HTTP routes and middleware chain.
/// VPN's router/subnet guards are always wired into `networking`; `vpn` defaults to one on the same store.
package func buildRouter(
    networking: Networking, vpn: VPN? = nil, board: RuntimeBoard = RuntimeBoard(), configuration: APIConfiguration,
    auth: AuthSetup = .noauth, agentAPI: AgentAPI? = nil
) -> Hummingbird.Router<APIRequestContext> {
    var networking = networking
    networking.routerGuards = VPN.routerGuards
    let vpn = vpn ?? VPN(
        store: networking.store, newID: { RandomID.uuid() }, legacyCrypto: LegacyCrypto(allowed: configuration.allowLegacyCrypto))
    let trail = AuditTrail(store: networking.store, retention: configuration.auditRetention)
    // Peer configurations are rendered from the plan the agent would realise, so with its provider mappings.
    var peerConfigLayout = AgentLayout()
    if let agent = configuration.agent { peerConfigLayout.physicalNetworks = agent.physicalNetworks }
    let router = Hummingbird.Router(context: APIRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: NeutronErrorMiddleware())
    switch auth {
    case .noauth:
        router.add(middleware: NoAuthIdentityMiddleware())
    case .keystone(let identity):
        router.add(middleware: TokenAuthMiddleware(validator: identity))
    case .external(let validator):
        router.add(middleware: TokenAuthMiddleware(validator: validator))
    }
    if case .keystone(let identity) = auth {
        router.add(middleware: AuditMiddleware(trail: trail, keystone: identity))
        KeystoneRoutes(identity: identity, publicURL: configuration.identity.publicURL).register(on: router)
    } else {
        router.add(middleware: AuditMiddleware(trail: trail))
    }
    // The dashboard logs in where the API's tokens come from: the embedded Keystone, or the external one.
    var dashboardIdentity: (any DashboardIdentity)?
    switch auth {
    case .noauth: dashboardIdentity = nil
    case .keystone(let identity): dashboardIdentity = EmbeddedDashboardIdentity(identity)
    case .external:
        dashboardIdentity = configuration.identity.keystoneURL.map {
            ExternalDashboardIdentity(ExternalKeystoneLogin(keystoneURL: $0, logger: Logger(label: "vpnaasd")))
        }
    }
    if configuration.dashboard, let dashboardIdentity {
        let layout = peerConfigLayout
        Dashboard(
            identity: dashboardIdentity, networking: networking, vpn: vpn,
            telemetry: .init(
                status: { StatusRoutes.render($0, board.entry($0.id)) },
                events: { id, identity in try await vpn.connectionEvents(id, identity, limit: 50, marker: nil).events.map(\.wire) },
                peerConfigDevices: PeerConfig.devices.map { (id: $0.id, label: "\($0.vendor) — \($0.software)") },
                peerConfig: { id, device, identity in
                    try await PeerConfigRoutes.render(vpn: vpn, layout: layout, connection: id, device: device, identity)
                }),
            configuration: .init(secureCookies: configuration.identity.publicURL?.hasPrefix("https://") ?? false)
        ).register(on: router)
    }
    router.get("/healthcheck") { _, _ in JSONResponse.make(["status": .string("OK")]) }
    StatusRoutes(vpn: vpn, board: board).registerMetrics(on: router)
    let v2 = router.group("v2.0")
    CoreL3Routes(networking: networking).register(on: v2)
    VPNRoutes(vpn: vpn).register(on: v2)
    QuotaRoutes(quotas: Quotas(store: networking.store, defaults: configuration.quotaDefaults)).register(on: v2)
    AgentRoutes(
        agents: NetworkAgents(
            store: networking.store, downTime: configuration.agentDownTime,
            now: { Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }, newID: { RandomID.uuid() })
    ).register(on: v2)
    if let agentAPI { AgentAPIRoutes(server: agentAPI.server, feed: agentAPI.feed).register(on: v2) }
    AuditRoutes(trail: trail).register(on: v2)
    StatusRoutes(vpn: vpn, board: board).register(on: v2)
    AbsentResourceRoutes().register(on: v2)
    PeerConfigRoutes(vpn: vpn, layout: peerConfigLayout).register(on: v2)
    // With the embedded Keystone, `/` is Keystone's version document (clients with an unversioned
    // OS_AUTH_URL need it); the catalog gives the network URL, so Neutron's root is not needed there.
    var servesRoot = true
    if case .keystone = auth { servesRoot = false }
    // With legacy crypto allowed, sha1/3des are not removed, so the alias saying so is not advertised.
    let vpnExtensions = APIExtension.vpn.filter { !configuration.allowLegacyCrypto || $0.alias != "vpn-no-sha1-3des" }
    DiscoveryRoutes(extensions: APIExtension.core + vpnExtensions).register(on: router, v2: v2, servesRoot: servesRoot)
    return router
}
