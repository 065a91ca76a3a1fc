import VPNaaSDomain

/// The persistence edge. Each use-case runs in one transaction: `write` hands its body a writer whose
/// reads see the transaction's own changes, and commits only if the body returns.
///
/// Bodies are synchronous on purpose: they hold the transaction, so they must not await anything else.
package protocol Store: Sendable {
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T
}

/// Queries over committed (or, inside `write`, pending) state.
package protocol StoreReader {
    func network(_ id: Network.ID) throws -> Network?
    func networks() throws -> [Network]
    func subnet(_ id: Subnet.ID) throws -> Subnet?
    func subnets(networkID: Network.ID?) throws -> [Subnet]
    func port(_ id: Port.ID) throws -> Port?
    /// Ports, optionally only those on one network and/or of one device.
    func ports(networkID: Network.ID?, deviceID: String?) throws -> [Port]
    /// Ports holding an address on the subnet.
    func ports(onSubnet subnetID: Subnet.ID) throws -> [Port]
    func usedAddresses(onSubnet subnetID: Subnet.ID) throws -> Set<IPAddress>
    func router(_ id: Router.ID) throws -> Router?
    func routers() throws -> [Router]
    /// Segmentation ids in use for one network type.
    func segmentationIDs(of type: Network.NetworkType) throws -> Set<Int>

    // VPNaaS
    func ikePolicy(_ id: IKEPolicy.ID) throws -> IKEPolicy?
    func ikePolicies() throws -> [IKEPolicy]
    func ipsecPolicy(_ id: IPsecPolicy.ID) throws -> IPsecPolicy?
    func ipsecPolicies() throws -> [IPsecPolicy]
    func vpnService(_ id: VPNService.ID) throws -> VPNService?
    /// VPN services, optionally only those on one router.
    func vpnServices(routerID: Router.ID?) throws -> [VPNService]
    func endpointGroup(_ id: EndpointGroup.ID) throws -> EndpointGroup?
    func endpointGroups() throws -> [EndpointGroup]
    /// Connections with their PSK opened.
    func ipsecSiteConnection(_ id: IPsecSiteConnection.ID) throws -> IPsecSiteConnection?
    func ipsecSiteConnections() throws -> [IPsecSiteConnection]

    // Identity (embedded Keystone)
    func identityProject(_ id: String) throws -> IdentityProject?
    func identityProjects() throws -> [IdentityProject]
    func identityUser(_ id: String) throws -> IdentityUser?
    func identityUsers() throws -> [IdentityUser]
    func identityRoles() throws -> [IdentityRole]
    /// Assignments, optionally only those of one project and/or one user.
    func identityRoleAssignments(projectID: String?, userID: String?) throws -> [IdentityRoleAssignment]
    /// True once the token with this audit id was revoked (logout, `DELETE /v3/auth/tokens`).
    func isTokenRevoked(auditID: String) throws -> Bool

    // Quotas and the audit trail
    /// A project's quota rows (resources without one use the configured default).
    func quotaOverrides(projectID: String) throws -> [QuotaResource: Int]
    /// Every project that has quota rows, with them.
    func quotaOverrides() throws -> [String: [QuotaResource: Int]]
    /// How many objects of `resource` the project owns now (inside `write`: including pending inserts).
    func count(_ resource: QuotaResource, projectID: String) throws -> Int
    /// Events matching the query, oldest first unless `descending`.
    func auditEvents(_ query: AuditQuery) throws -> [AuditEvent]
}

/// Row changes inside a write transaction. Schema constraints are the last line of defence: a
/// violation surfaces as `StoreError`, never as a silent overwrite.
package protocol StoreWriter: StoreReader {
    func insert(_ network: Network) throws
    func update(_ network: Network) throws
    func deleteNetwork(_ id: Network.ID) throws
    func insert(_ subnet: Subnet) throws
    func update(_ subnet: Subnet) throws
    func deleteSubnet(_ id: Subnet.ID) throws
    func insert(_ port: Port) throws
    func update(_ port: Port) throws
    func deletePort(_ id: Port.ID) throws
    func insert(_ router: Router) throws
    func update(_ router: Router) throws
    func deleteRouter(_ id: Router.ID) throws

    // VPNaaS
    func insert(_ policy: IKEPolicy) throws
    func update(_ policy: IKEPolicy) throws
    func deleteIKEPolicy(_ id: IKEPolicy.ID) throws
    func insert(_ policy: IPsecPolicy) throws
    func update(_ policy: IPsecPolicy) throws
    func deleteIPsecPolicy(_ id: IPsecPolicy.ID) throws
    func insert(_ service: VPNService) throws
    func update(_ service: VPNService) throws
    func deleteVPNService(_ id: VPNService.ID) throws
    func insert(_ group: EndpointGroup) throws
    func update(_ group: EndpointGroup) throws
    func deleteEndpointGroup(_ id: EndpointGroup.ID) throws
    /// Stores the connection with its PSK sealed.
    func insert(_ connection: IPsecSiteConnection) throws
    func update(_ connection: IPsecSiteConnection) throws
    func deleteIPsecSiteConnection(_ id: IPsecSiteConnection.ID) throws

    // Identity: deleting a project or user also drops its role assignments (ON DELETE CASCADE).
    func insert(_ project: IdentityProject) throws
    func update(_ project: IdentityProject) throws
    func deleteIdentityProject(_ id: String) throws
    func insert(_ user: IdentityUser) throws
    func update(_ user: IdentityUser) throws
    func deleteIdentityUser(_ id: String) throws
    func insert(_ role: IdentityRole) throws
    /// Idempotent, as Keystone's PUT of a grant is.
    func insert(_ assignment: IdentityRoleAssignment) throws
    func delete(_ assignment: IdentityRoleAssignment) throws
    /// Records a revocation until `expiresAt`, dropping revocations of tokens expired before `now`.
    func revokeToken(auditID: String, expiresAt: Int64, now: Int64) throws

    // Quotas and the audit trail
    /// Creates or replaces one quota row.
    func setQuota(projectID: String, _ resource: QuotaResource, limit: Int) throws
    /// Drops a project's quota rows: it falls back to the defaults.
    func deleteQuotas(projectID: String) throws
    func insert(_ event: AuditEvent) throws
    /// Keeps at most `keep` events and none older than `olderThanMillis`.
    func pruneAuditEvents(keep: Int, olderThanMillis: Int64) throws
}

/// A storage failure, NIO-style: what kind, what happened, and the underlying cause for logs only.
package struct StoreError: Error, CustomStringConvertible {
    package enum Code: Sendable, Equatable {
        case uniqueViolation
        case foreignKeyViolation
        case checkViolation
        case notFound
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
