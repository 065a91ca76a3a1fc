import GRDB
import VPNaaSDomain

// Generated once from the `StoreReader`/`StoreWriter` requirements: every call hops onto the connection the
// transaction pinned (see `PinnedConnection`) and runs the synchronous GRDB code there.

/// The async reader/writer handed to `SQLiteStore.read/write` bodies: each call is one job on the pinned
/// connection, so a body sees one transaction no matter how often it awaits.
struct SQLiteAsyncAccess: StoreWriter {
    let pin: PinnedConnection
    let secrets: SecretBox

    func network(_ id: Network.ID) async throws -> Network? {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).network(id) }
    }

    func networks() async throws -> [Network] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).networks() }
    }

    func subnet(_ id: Subnet.ID) async throws -> Subnet? {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).subnet(id) }
    }

    func subnets(networkID: Network.ID?) async throws -> [Subnet] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).subnets(networkID: networkID) }
    }

    func port(_ id: Port.ID) async throws -> Port? {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).port(id) }
    }

    func ports(networkID: Network.ID?, deviceID: String?) async throws -> [Port] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).ports(networkID: networkID, deviceID: deviceID) }
    }

    func ports(onSubnet subnetID: Subnet.ID) async throws -> [Port] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).ports(onSubnet: subnetID) }
    }

    func usedAddresses(onSubnet subnetID: Subnet.ID) async throws -> Set<IPAddress> {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).usedAddresses(onSubnet: subnetID) }
    }

    func router(_ id: Router.ID) async throws -> Router? {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).router(id) }
    }

    func routers() async throws -> [Router] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).routers() }
    }

    func segmentationIDs(of type: Network.NetworkType) async throws -> Set<Int> {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).segmentationIDs(of: type) }
    }

    func ikePolicy(_ id: IKEPolicy.ID) async throws -> IKEPolicy? {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).ikePolicy(id) }
    }

    func ikePolicies() async throws -> [IKEPolicy] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).ikePolicies() }
    }

    func ipsecPolicy(_ id: IPsecPolicy.ID) async throws -> IPsecPolicy? {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).ipsecPolicy(id) }
    }

    func ipsecPolicies() async throws -> [IPsecPolicy] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).ipsecPolicies() }
    }

    func vpnService(_ id: VPNService.ID) async throws -> VPNService? {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).vpnService(id) }
    }

    func vpnServices(routerID: Router.ID?) async throws -> [VPNService] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).vpnServices(routerID: routerID) }
    }

    func endpointGroup(_ id: EndpointGroup.ID) async throws -> EndpointGroup? {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).endpointGroup(id) }
    }

    func endpointGroups() async throws -> [EndpointGroup] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).endpointGroups() }
    }

    func ipsecSiteConnection(_ id: IPsecSiteConnection.ID) async throws -> IPsecSiteConnection? {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).ipsecSiteConnection(id) }
    }

    func ipsecSiteConnections() async throws -> [IPsecSiteConnection] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).ipsecSiteConnections() }
    }

    func connectionEvents(_ connectionID: IPsecSiteConnection.ID, olderThan marker: String?, limit: Int) async throws -> [ConnectionEvent]? {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).connectionEvents(connectionID, olderThan: marker, limit: limit) }
    }

    func identityProject(_ id: String) async throws -> IdentityProject? {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).identityProject(id) }
    }

    func identityProjects() async throws -> [IdentityProject] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).identityProjects() }
    }

    func identityUser(_ id: String) async throws -> IdentityUser? {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).identityUser(id) }
    }

    func identityUsers() async throws -> [IdentityUser] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).identityUsers() }
    }

    func identityRoles() async throws -> [IdentityRole] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).identityRoles() }
    }

    func identityRoleAssignments(projectID: String?, userID: String?) async throws -> [IdentityRoleAssignment] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).identityRoleAssignments(projectID: projectID, userID: userID) }
    }

    func isTokenRevoked(auditID: String) async throws -> Bool {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).isTokenRevoked(auditID: auditID) }
    }

    func quotaOverrides(projectID: String) async throws -> [QuotaResource: Int] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).quotaOverrides(projectID: projectID) }
    }

    func quotaOverrides() async throws -> [String: [QuotaResource: Int]] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).quotaOverrides() }
    }

    func count(_ resource: QuotaResource, projectID: String) async throws -> Int {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).count(resource, projectID: projectID) }
    }

    func auditEvents(_ query: AuditQuery) async throws -> [AuditEvent] {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).auditEvents(query) }
    }

    func insert(_ network: Network) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).insert(network) }
    }

    func update(_ network: Network) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).update(network) }
    }

    func deleteNetwork(_ id: Network.ID) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).deleteNetwork(id) }
    }

    func insert(_ subnet: Subnet) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).insert(subnet) }
    }

    func update(_ subnet: Subnet) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).update(subnet) }
    }

    func deleteSubnet(_ id: Subnet.ID) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).deleteSubnet(id) }
    }

    func insert(_ port: Port) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).insert(port) }
    }

    func update(_ port: Port) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).update(port) }
    }

    func deletePort(_ id: Port.ID) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).deletePort(id) }
    }

    func insert(_ router: Router) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).insert(router) }
    }

    func update(_ router: Router) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).update(router) }
    }

    func deleteRouter(_ id: Router.ID) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).deleteRouter(id) }
    }

    func insert(_ policy: IKEPolicy) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).insert(policy) }
    }

    func update(_ policy: IKEPolicy) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).update(policy) }
    }

    func deleteIKEPolicy(_ id: IKEPolicy.ID) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).deleteIKEPolicy(id) }
    }

    func insert(_ policy: IPsecPolicy) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).insert(policy) }
    }

    func update(_ policy: IPsecPolicy) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).update(policy) }
    }

    func deleteIPsecPolicy(_ id: IPsecPolicy.ID) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).deleteIPsecPolicy(id) }
    }

    func insert(_ service: VPNService) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).insert(service) }
    }

    func update(_ service: VPNService) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).update(service) }
    }

    func deleteVPNService(_ id: VPNService.ID) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).deleteVPNService(id) }
    }

    func insert(_ group: EndpointGroup) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).insert(group) }
    }

    func update(_ group: EndpointGroup) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).update(group) }
    }

    func deleteEndpointGroup(_ id: EndpointGroup.ID) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).deleteEndpointGroup(id) }
    }

    func insert(_ connection: IPsecSiteConnection) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).insert(connection) }
    }

    func update(_ connection: IPsecSiteConnection) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).update(connection) }
    }

    func deleteIPsecSiteConnection(_ id: IPsecSiteConnection.ID) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).deleteIPsecSiteConnection(id) }
    }

    func insert(_ events: [ConnectionEvent]) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).insert(events) }
    }

    func pruneConnectionEvents(_ connectionIDs: Set<IPsecSiteConnection.ID>, keep: Int, olderThanMillis cutoff: Int64) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).pruneConnectionEvents(connectionIDs, keep: keep, olderThanMillis: cutoff) }
    }

    func insert(_ project: IdentityProject) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).insert(project) }
    }

    func update(_ project: IdentityProject) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).update(project) }
    }

    func deleteIdentityProject(_ id: String) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).deleteIdentityProject(id) }
    }

    func insert(_ user: IdentityUser) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).insert(user) }
    }

    func update(_ user: IdentityUser) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).update(user) }
    }

    func deleteIdentityUser(_ id: String) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).deleteIdentityUser(id) }
    }

    func insert(_ role: IdentityRole) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).insert(role) }
    }

    func insert(_ assignment: IdentityRoleAssignment) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).insert(assignment) }
    }

    func delete(_ assignment: IdentityRoleAssignment) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).delete(assignment) }
    }

    func revokeToken(auditID: String, expiresAt: Int64, now: Int64) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).revokeToken(auditID: auditID, expiresAt: expiresAt, now: now) }
    }

    func setQuota(projectID: String, _ resource: QuotaResource, limit: Int) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).setQuota(projectID: projectID, resource, limit: limit) }
    }

    func deleteQuotas(projectID: String) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).deleteQuotas(projectID: projectID) }
    }

    func insert(_ event: AuditEvent) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).insert(event) }
    }

    func pruneAuditEvents(keep: Int, olderThanMillis: Int64) async throws {
        try await pin.run { db in try SQLiteAccess(db: db, secrets: secrets).pruneAuditEvents(keep: keep, olderThanMillis: olderThanMillis) }
    }
}
