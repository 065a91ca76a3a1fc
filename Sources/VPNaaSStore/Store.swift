import VPNaaSDomain

/// The persistence edge. Each use-case runs in one transaction: `write` hands its body a writer whose
/// reads see the transaction's own changes, and commits only if the body returns.
///
/// Bodies are async because a networked backend (PostgreSQL) is async-only; every reader/writer call is one
/// round-trip inside the same transaction. A body should await only its transaction's reader/writer: it holds a
/// connection (and, for `write`, the write lock or a serializable transaction) until it returns.
package protocol Store: Sendable {
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) async throws -> T) async throws -> T
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) async throws -> T) async throws -> T
    /// A write nobody watching for changes needs to hear of (the audit trail): no change notification, so
    /// neither the agent nor other replicas' listeners wake for it. Only for bodies whose statements each stand
    /// on their own: a backend may commit them one by one (PostgreSQL does, saving BEGIN/COMMIT round trips).
    func writeUnannounced<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) async throws -> T) async throws -> T
    /// A read that is one statement (one object by id whose row decodes on its own): it needs no snapshot across
    /// statements, so a backend may run it without a transaction around it (PostgreSQL does: one round trip
    /// instead of BEGIN, SELECT, COMMIT).
    func readStatement<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) async throws -> T) async throws -> T
}

extension Store {
    /// Stores without single-statement shortcuts: an ordinary read.
    package func readStatement<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) async throws -> T) async throws -> T {
        try await read(body)
    }


    /// Stores that announce nothing: an ordinary write.
    package func writeUnannounced<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) async throws -> T) async throws -> T {
        try await write(body)
    }
}

/// Queries over committed (or, inside `write`, pending) state.
package protocol StoreReader {
    func network(_ id: Network.ID) async throws -> Network?
    func networks() async throws -> [Network]
    func subnet(_ id: Subnet.ID) async throws -> Subnet?
    func subnets(networkID: Network.ID?) async throws -> [Subnet]
    func port(_ id: Port.ID) async throws -> Port?
    /// Ports, optionally only those on one network and/or of one device.
    func ports(networkID: Network.ID?, deviceID: String?) async throws -> [Port]
    /// Ports holding an address on the subnet.
    func ports(onSubnet subnetID: Subnet.ID) async throws -> [Port]
    func usedAddresses(onSubnet subnetID: Subnet.ID) async throws -> Set<IPAddress>
    func router(_ id: Router.ID) async throws -> Router?
    func routers() async throws -> [Router]
    /// Segmentation ids in use for one network type.
    func segmentationIDs(of type: Network.NetworkType) async throws -> Set<Int>

    // VPNaaS
    func ikePolicy(_ id: IKEPolicy.ID) async throws -> IKEPolicy?
    func ikePolicies() async throws -> [IKEPolicy]
    func ipsecPolicy(_ id: IPsecPolicy.ID) async throws -> IPsecPolicy?
    func ipsecPolicies() async throws -> [IPsecPolicy]
    func vpnService(_ id: VPNService.ID) async throws -> VPNService?
    /// VPN services, optionally only those on one router.
    func vpnServices(routerID: Router.ID?) async throws -> [VPNService]
    func endpointGroup(_ id: EndpointGroup.ID) async throws -> EndpointGroup?
    func endpointGroups() async throws -> [EndpointGroup]
    /// Connections with their PSK opened.
    func ipsecSiteConnection(_ id: IPsecSiteConnection.ID) async throws -> IPsecSiteConnection?
    func ipsecSiteConnections() async throws -> [IPsecSiteConnection]
    /// A connection's events, newest first, older than the event `marker` (nil: from the newest); nil when the
    /// marker is not an event of this connection.
    func connectionEvents(_ connectionID: IPsecSiteConnection.ID, olderThan marker: String?, limit: Int) async throws
        -> [ConnectionEvent]?

    // Identity (embedded Keystone)
    func identityProject(_ id: String) async throws -> IdentityProject?
    func identityProjects() async throws -> [IdentityProject]
    func identityUser(_ id: String) async throws -> IdentityUser?
    func identityUsers() async throws -> [IdentityUser]
    func identityRoles() async throws -> [IdentityRole]
    /// Assignments, optionally only those of one project and/or one user.
    func identityRoleAssignments(projectID: String?, userID: String?) async throws -> [IdentityRoleAssignment]
    /// True once the token with this audit id was revoked (logout, `DELETE /v3/auth/tokens`).
    func isTokenRevoked(auditID: String) async throws -> Bool

    // Quotas and the audit trail
    /// A project's quota rows (resources without one use the configured default).
    func quotaOverrides(projectID: String) async throws -> [QuotaResource: Int]
    /// Every project that has quota rows, with them.
    func quotaOverrides() async throws -> [String: [QuotaResource: Int]]
    /// How many objects of `resource` the project owns now (inside `write`: including pending inserts).
    func count(_ resource: QuotaResource, projectID: String) async throws -> Int
    /// The project's limit for `resource` (its own row, else `defaultLimit`) and, unless that is unlimited (-1),
    /// how many it owns now — in one query: what a create checks before it inserts.
    func quotaUsage(_ resource: QuotaResource, projectID: String, defaultLimit: Int) async throws -> (limit: Int, used: Int?)
    /// Events matching the query, oldest first unless `descending`.
    func auditEvents(_ query: AuditQuery) async throws -> [AuditEvent]

    // Network agents and the routers scheduled to them
    /// Every registered agent, by host name.
    func networkAgents() async throws -> [NetworkAgent]
    func networkAgent(_ id: NetworkAgent.ID) async throws -> NetworkAgent?
    /// Which agent hosts each scheduled router: absent = never scheduled, nil = taken off its agent by an admin.
    func routerBindings() async throws -> [Router.ID: NetworkAgent.ID?]
    /// Remote agents' runtime figures per connection, as they sent them (JSON), for every API replica.
    func connectionRuntimes() async throws -> [ConnectionRuntimeRow]
}

/// One connection's runtime figures as a remote agent last sent them: which host, when, and the entry as JSON
/// (the store does not interpret it).
package struct ConnectionRuntimeRow: Sendable, Equatable {
    package var connectionID: IPsecSiteConnection.ID
    package var host: String
    package var entry: String
    package var updatedMillis: Int64

    package init(connectionID: IPsecSiteConnection.ID, host: String, entry: String, updatedMillis: Int64) {
        self.connectionID = connectionID
        self.host = host
        self.entry = entry
        self.updatedMillis = updatedMillis
    }
}

/// Row changes inside a write transaction. Schema constraints are the last line of defence: a
/// violation surfaces as `StoreError`, never as a silent overwrite.
package protocol StoreWriter: StoreReader {
    func insert(_ network: Network) async throws
    func update(_ network: Network) async throws
    func deleteNetwork(_ id: Network.ID) async throws
    func insert(_ subnet: Subnet) async throws
    func update(_ subnet: Subnet) async throws
    func deleteSubnet(_ id: Subnet.ID) async throws
    func insert(_ port: Port) async throws
    func update(_ port: Port) async throws
    func deletePort(_ id: Port.ID) async throws
    func insert(_ router: Router) async throws
    func update(_ router: Router) async throws
    func deleteRouter(_ id: Router.ID) async throws

    // VPNaaS
    func insert(_ policy: IKEPolicy) async throws
    /// Inserts unless the project is at its quota (then nothing, and false): check and insert in one statement.
    func insert(_ policy: IKEPolicy, within quota: QuotaGuard) async throws -> Bool
    func update(_ policy: IKEPolicy) async throws
    func deleteIKEPolicy(_ id: IKEPolicy.ID) async throws
    func insert(_ policy: IPsecPolicy) async throws
    /// Inserts unless the project is at its quota (then nothing, and false): check and insert in one statement.
    func insert(_ policy: IPsecPolicy, within quota: QuotaGuard) async throws -> Bool
    func update(_ policy: IPsecPolicy) async throws
    func deleteIPsecPolicy(_ id: IPsecPolicy.ID) async throws
    func insert(_ service: VPNService) async throws
    func update(_ service: VPNService) async throws
    func deleteVPNService(_ id: VPNService.ID) async throws
    func insert(_ group: EndpointGroup) async throws
    func update(_ group: EndpointGroup) async throws
    func deleteEndpointGroup(_ id: EndpointGroup.ID) async throws
    /// Stores the connection with its PSK sealed.
    func insert(_ connection: IPsecSiteConnection) async throws
    func update(_ connection: IPsecSiteConnection) async throws
    func deleteIPsecSiteConnection(_ id: IPsecSiteConnection.ID) async throws
    /// Appends events; those of connections that no longer exist are dropped.
    func insert(_ events: [ConnectionEvent]) async throws
    /// Retention: drops every event older than the cutoff, and all but the newest `keep` of each given connection.
    func pruneConnectionEvents(_ connectionIDs: Set<IPsecSiteConnection.ID>, keep: Int, olderThanMillis cutoff: Int64) async throws

    // Identity: deleting a project or user also drops its role assignments (ON DELETE CASCADE).
    func insert(_ project: IdentityProject) async throws
    func update(_ project: IdentityProject) async throws
    func deleteIdentityProject(_ id: String) async throws
    func insert(_ user: IdentityUser) async throws
    func update(_ user: IdentityUser) async throws
    func deleteIdentityUser(_ id: String) async throws
    func insert(_ role: IdentityRole) async throws
    /// Idempotent, as Keystone's PUT of a grant is.
    func insert(_ assignment: IdentityRoleAssignment) async throws
    func delete(_ assignment: IdentityRoleAssignment) async throws
    /// Records a revocation until `expiresAt`, dropping revocations of tokens expired before `now`.
    func revokeToken(auditID: String, expiresAt: Int64, now: Int64) async throws

    // Quotas and the audit trail
    /// Creates or replaces one quota row.
    func setQuota(projectID: String, _ resource: QuotaResource, limit: Int) async throws
    /// Drops a project's quota rows: it falls back to the defaults.
    func deleteQuotas(projectID: String) async throws
    func insert(_ event: AuditEvent) async throws
    /// Keeps at most `keep` events and none older than `olderThanMillis`.
    func pruneAuditEvents(keep: Int, olderThanMillis: Int64) async throws

    /// Registers the agent, or updates everything but its id, host and creation time.
    func upsert(_ agent: NetworkAgent) async throws
    /// Also drops its router bindings (ON DELETE CASCADE): its routers are then unscheduled.
    func deleteNetworkAgent(_ id: NetworkAgent.ID) async throws
    /// Schedules the router to the agent, replacing any binding it had.
    func bind(router: Router.ID, to agent: NetworkAgent.ID) async throws
    /// Takes the router off its agent and keeps it off (the scheduler places only routers without a row).
    func unbind(router: Router.ID) async throws
    /// Replaces `host`'s runtime rows with `entries` (connection id → JSON); rows of connections that no longer
    /// exist are skipped.
    func replaceConnectionRuntimes(host: String, _ entries: [IPsecSiteConnection.ID: String], updatedMillis: Int64) async throws
}

/// A create's quota check done by its INSERT: the row goes in only while the project owns fewer `resource`s than
/// its limit (its own quota row, else `defaultLimit`; negative: unlimited) — one statement instead of a count and
/// an insert, atomic with it inside the write's transaction.
package struct QuotaGuard: Sendable, Equatable {
    package var resource: QuotaResource
    package var projectID: String
    package var defaultLimit: Int

    package init(_ resource: QuotaResource, projectID: String, defaultLimit: Int) {
        self.resource = resource
        self.projectID = projectID
        self.defaultLimit = defaultLimit
    }
}

/// A storage failure, NIO-style: what kind, what happened, and the underlying cause for logs only.
package struct StoreError: Error, CustomStringConvertible {
    package enum Code: Sendable, Equatable {
        case uniqueViolation
        case foreignKeyViolation
        case checkViolation
        case notFound
        /// A serializable transaction that kept conflicting with concurrent ones after the store's retries.
        case transactionConflict
        case other
    }

    package var code: Code
    package var message: String
    package var cause: (any Error)?

    package init(code: Code, message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    package var description: String { "StoreError(\(code)): \(message)" }
}
