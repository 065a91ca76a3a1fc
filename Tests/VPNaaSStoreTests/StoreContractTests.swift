import Foundation
import GRDB
import Testing
import VPNaaSDomain
import VPNaaSStore

/// The store contract: every backend must behave identically. Each test runs once per backend, on its own fresh
/// database. PostgreSQL runs when `VPNAAS_TEST_PG_URL` names a server (scripts/pg-cluster.sh starts one); under
/// CI=true its absence is a failure, elsewhere the PostgreSQL cases are left out.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqliteMemory
    case sqliteFile
    case postgres

    var testDescription: String { rawValue }

    /// The backends this run can test.
    static var available: [Backend] {
        PostgresTestServer.configured || PostgresTestServer.required ? allCases : [.sqliteMemory, .sqliteFile]
    }

    /// Runs `body` on a fresh store of this backend, removed afterwards.
    func withStore(_ body: (any Store) async throws -> Void) async throws {
        switch self {
        case .sqliteMemory:
            try await body(try SQLiteStore())
        case .sqliteFile:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vpnaas-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            try await body(try SQLiteStore(path: dir.appendingPathComponent("vpnaas.sqlite").path, secrets: .random()))
        case .postgres:
            try await PostgresTestServer.withScratchStore { try await body($0) }
        }
    }
}

/// The PostgreSQL server the tests use, from `VPNAAS_TEST_PG_URL`.
enum PostgresTestServer {
    static var configured: Bool { ProcessInfo.processInfo.environment["VPNAAS_TEST_PG_URL"].map { !$0.isEmpty } ?? false }
    static var required: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static func admin() throws -> DatabaseURL.Postgres {
        guard let text = ProcessInfo.processInfo.environment["VPNAAS_TEST_PG_URL"], !text.isEmpty else {
            throw TestSetupError(description: "VPNAAS_TEST_PG_URL is not set: CI runs the store contract on PostgreSQL too (scripts/pg-cluster.sh)")
        }
        guard case .postgres(let url) = try DatabaseURL(parsing: text) else {
            throw TestSetupError(description: "VPNAAS_TEST_PG_URL is not a postgresql:// URL")
        }
        return url
    }

    static func withScratchStore(_ body: (PostgresStore) async throws -> Void) async throws {
        try await PostgresStore.withScratchDatabase(admin: try admin()) { try await body($0) }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
}

enum Sample {
    static let now = Timestamp(secondsSinceEpoch: 1_795_536_404)

    static func network(_ id: String = UUID().uuidString.lowercased(), type: Network.NetworkType = .vxlan, physnet: String? = nil, segment: Int? = 7) -> Network {
        Network(
            id: id, projectID: "p1", name: "net", description: "", adminStateUp: true, shared: false, external: type == .flat,
            segment: .init(networkType: type, physicalNetwork: physnet, segmentationID: segment), mtu: 1450,
            portSecurityEnabled: true, vlanTransparent: false, qinq: false, isDefault: false,
            availabilityZoneHints: ["az \"1\""], status: "ACTIVE", stamps: .new(at: now, revision: 1))
    }

    static func subnet(_ id: String = UUID().uuidString.lowercased(), network: String, cidr: String = "2001:db8:1:33bc::/64") -> Subnet {
        let c = CIDR(cidr)!
        let gw = Subnet.defaultGateway(for: c)
        return Subnet(
            id: id, projectID: "p1", networkID: network, name: "sub", description: "d", cidr: c, gatewayIP: gw,
            enableDHCP: true, ipv6RAMode: c.version == 6 ? .slaac : nil, ipv6AddressMode: c.version == 6 ? .slaac : nil,
            allocationPools: Subnet.defaultPools(for: c, gateway: gw), dnsNameservers: c.version == 4 ? [IPAddress("192.0.2.53")!] : [],
            hostRoutes: c.version == 4 ? [HostRoute(destination: CIDR("10.9.0.0/16")!, nexthop: IPAddress("192.0.2.9")!)] : [],
            stamps: .new(at: now))
    }

    static func port(_ id: String = UUID().uuidString.lowercased(), network: String, ips: [FixedIP], device: String = "", owner: String = "") -> VPNaaSDomain.Port {
        VPNaaSDomain.Port(
            id: id, projectID: "p1", networkID: network, name: "", description: "", macAddress: "fa:16:3e:00:00:\(String(ips.count, radix: 16))\(id.prefix(1))",
            adminStateUp: true, status: "DOWN", deviceID: device, deviceOwner: owner, fixedIPs: ips, portSecurityEnabled: true,
            bindingHostID: "", stamps: .new(at: now, revision: 1))
    }
}

@Suite struct StoreContractTests {
    @Test(arguments: Backend.available)
    func networkRoundTripsWithSubnetsInCreationOrder(backend: Backend) async throws {
        try await backend.withStore { store in
            let net = Sample.network()
            let s1 = Sample.subnet(network: net.id)
            let s2 = Sample.subnet(network: net.id, cidr: "10.0.0.0/24")
            try await store.write { tx in
                try await tx.insert(net)
                try await tx.insert(s1)
                try await tx.insert(s2)
            }
            let read = try await store.read { tx in try await tx.network(net.id) }
            var expected = net
            expected.subnetIDs = [s1.id, s2.id]
            #expect(read == expected)
            let subnets = try await store.read { tx in try await tx.subnets(networkID: net.id) }
            #expect(subnets == [s1, s2])
        }
    }

    @Test(arguments: Backend.available)
    func portsCarryOrderedAllocations(backend: Backend) async throws {
        try await backend.withStore { store in
            let net = Sample.network()
            let s4 = Sample.subnet(network: net.id, cidr: "10.0.0.0/24")
            let s6 = Sample.subnet(network: net.id)
            let ips = [FixedIP(subnetID: s6.id, ipAddress: IPAddress("2001:db8:1:33bc::5")!), FixedIP(subnetID: s4.id, ipAddress: IPAddress("10.0.0.5")!)]
            let port = Sample.port(network: net.id, ips: ips, device: "r1", owner: VPNaaSDomain.Port.Owner.routerInterface)
            try await store.write { tx in
                try await tx.insert(net)
                try await tx.insert(s4)
                try await tx.insert(s6)
                try await tx.insert(port)
            }
            #expect(try await store.read { tx in try await tx.port(port.id) } == port)
            #expect(try await store.read { tx in try await tx.ports(networkID: nil, deviceID: "r1").map(\.id) } == [port.id])
            #expect(try await store.read { tx in try await tx.ports(onSubnet: s4.id).map(\.id) } == [port.id])
            #expect(try await store.read { tx in try await tx.usedAddresses(onSubnet: s4.id) } == [IPAddress("10.0.0.5")!])

            var moved = port
            moved.fixedIPs = [FixedIP(subnetID: s4.id, ipAddress: IPAddress("10.0.0.6")!)]
            let updated = moved
            try await store.write { tx in try await tx.update(updated) }
            #expect(try await store.read { tx in try await tx.usedAddresses(onSubnet: s4.id) } == [IPAddress("10.0.0.6")!])
            #expect(try await store.read { tx in try await tx.usedAddresses(onSubnet: s6.id) }.isEmpty)
        }
    }

    @Test(arguments: Backend.available)
    func schemaRefusesDuplicateAddresses(backend: Backend) async throws {
        try await backend.withStore { store in
            let net = Sample.network()
            let s = Sample.subnet(network: net.id, cidr: "10.0.0.0/24")
            let ip = [FixedIP(subnetID: s.id, ipAddress: IPAddress("10.0.0.5")!)]
            try await store.write { tx in
                try await tx.insert(net)
                try await tx.insert(s)
                try await tx.insert(Sample.port("a1", network: net.id, ips: ip))
            }
            await #expect { try await store.write { tx in try await tx.insert(Sample.port("b2", network: net.id, ips: ip)) } } throws: { error in
                (error as? StoreError)?.code == .uniqueViolation
            }
            // The failed transaction left nothing behind.
            #expect(try await store.read { tx in try await tx.port("b2") } == nil)
        }
    }

    @Test(arguments: Backend.available)
    func schemaRefusesDeletingUsedRows(backend: Backend) async throws {
        try await backend.withStore { store in
            let net = Sample.network()
            let s = Sample.subnet(network: net.id, cidr: "10.0.0.0/24")
            try await store.write { tx in
                try await tx.insert(net)
                try await tx.insert(s)
                try await tx.insert(Sample.port("a1", network: net.id, ips: [FixedIP(subnetID: s.id, ipAddress: IPAddress("10.0.0.5")!)]))
            }
            await #expect { try await store.write { tx in try await tx.deleteSubnet(s.id) } } throws: { error in
                (error as? StoreError)?.code == .foreignKeyViolation
            }
            await #expect { try await store.write { tx in try await tx.deleteNetwork(net.id) } } throws: { error in
                (error as? StoreError)?.code == .foreignKeyViolation
            }
            // Without ports, deleting the network takes its subnets with it.
            try await store.write { tx in
                try await tx.deletePort("a1")
                try await tx.deleteNetwork(net.id)
            }
            #expect(try await store.read { tx in try await tx.subnet(s.id) } == nil)
        }
    }

    @Test(arguments: Backend.available)
    func schemaRefusesTwoFlatNetworksOnOnePhysnetAndDuplicateSegments(backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.write { tx in try await tx.insert(Sample.network(type: .flat, physnet: "public", segment: nil)) }
            await #expect { try await store.write { tx in try await tx.insert(Sample.network(type: .flat, physnet: "public", segment: nil)) } } throws: { error in
                (error as? StoreError)?.code == .uniqueViolation
            }
            try await store.write { tx in try await tx.insert(Sample.network(segment: 9)) }
            await #expect { try await store.write { tx in try await tx.insert(Sample.network(segment: 9)) } } throws: { error in
                (error as? StoreError)?.code == .uniqueViolation
            }
            #expect(try await store.read { tx in try await tx.segmentationIDs(of: .vxlan) } == [9])
        }
    }

    @Test(arguments: Backend.available)
    func schemaChecksEnumsAndShapes(backend: Backend) async throws {
        try await backend.withStore { store in
            // A flat network must name its physical network: the CHECK holds even if Swift code is wrong.
            await #expect { try await store.write { tx in try await tx.insert(Sample.network(type: .flat, physnet: nil, segment: nil)) } } throws: { error in
                (error as? StoreError)?.code == .checkViolation
            }
        }
    }

    @Test(arguments: Backend.available)
    func routersKeepTheirGatewayPort(backend: Backend) async throws {
        try await backend.withStore { store in
            let ext = Sample.network(type: .flat, physnet: "public", segment: nil)
            let s = Sample.subnet(network: ext.id, cidr: "192.0.2.0/24")
            let gwIP = [FixedIP(subnetID: s.id, ipAddress: IPAddress("192.0.2.2")!)]
            let port = Sample.port("g1", network: ext.id, ips: gwIP, device: "r1", owner: VPNaaSDomain.Port.Owner.routerGateway)
            let router = Router(
                id: "r1", projectID: "p1", name: "r", description: "", adminStateUp: true, status: "ACTIVE",
                gateway: .init(networkID: ext.id, portID: "g1", enableSNAT: false),
                routes: [HostRoute(destination: CIDR("10.0.0.0/8")!, nexthop: IPAddress("192.0.2.1")!)], stamps: .new(at: Sample.now))
            try await store.write { tx in
                try await tx.insert(ext)
                try await tx.insert(s)
                try await tx.insert(port)
                try await tx.insert(router)
            }
            let read = try #require(try await store.read { tx in try await tx.router("r1") })
            #expect(read.gateway?.fixedIPs == gwIP)
            #expect(read.gateway?.enableSNAT == false)
            #expect(read.routes == router.routes)
            await #expect { try await store.write { tx in try await tx.deletePort("g1") } } throws: { error in
                (error as? StoreError)?.code == .foreignKeyViolation
            }
            await #expect { try await store.write { tx in try await tx.deleteRouter("nope") } } throws: { error in
                (error as? StoreError)?.code == .notFound
            }
        }
    }
}

@Suite struct SQLiteFileTests {
    @Test func fileIsWALWithForeignKeysAndMigrationsAreRecorded() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vpnaas-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("vpnaas.sqlite").path
        let store = try SQLiteStore(path: path, secrets: .random())
        #expect(try await store.appliedMigrations().first == "0001_core_l3")
        let net = Sample.network()
        try await store.write { tx in try await tx.insert(net) }

        // Reopening the file finds the data and re-runs no migration.
        let reopened = try SQLiteStore(path: path, secrets: .random())
        #expect(try await reopened.read { tx in try await tx.network(net.id)?.name } == "net")

        let queue = try DatabaseQueue(path: path)
        let mode = try await queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let fks = try await queue.read { db in try String.fetchAll(db, sql: "SELECT \"table\" FROM pragma_foreign_key_list('ports')") }
        #expect(fks.contains("networks"))
    }
}
