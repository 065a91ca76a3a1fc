import Foundation
import GRDB
import Testing
import VPNaaSDomain
import VPNaaSStore

/// The PSK never reaches the database file in clear, and survives a restart with the key file.
struct SecretAtRestTests {
    static let psk = "Plaintext-PSK-7f3a9c-never-on-disk"

    static func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vpnaas-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Minimal rows a connection needs (router → service, policies, groups).
    static func seed(_ store: any Store) async throws {
        try await store.write { tx in
            let stamps = Stamps.new(at: Timestamp(secondsSinceEpoch: 0))
            try await tx.insert(
                Router(
                    id: "r", projectID: "p", name: "", description: "", adminStateUp: true, status: "ACTIVE", gateway: nil,
                    routes: [], stamps: stamps))
            try await tx.insert(VPNService(id: "s", projectID: "p", routerID: "r"))
            try await tx.insert(IKEPolicy(id: "ike", projectID: "p"))
            try await tx.insert(IPsecPolicy(id: "ipsec", projectID: "p"))
            try await tx.insert(EndpointGroup(id: "l", projectID: "p", type: .subnet, endpoints: ["x"]))
            try await tx.insert(EndpointGroup(id: "g", projectID: "p", type: .cidr, endpoints: ["10.0.0.0/8"]))
            try await tx.insert(
                IPsecSiteConnection(
                    id: "c", projectID: "p", peerAddress: "198.51.100.1", peerID: "peer", psk: psk, vpnServiceID: "s",
                    ikePolicyID: "ike", ipsecPolicyID: "ipsec", localEPGroupID: "l", peerEPGroupID: "g"))
        }
    }

    static func fileContains(_ dir: String, _ needle: String) throws -> Bool {
        let bytes = Array(needle.utf8)
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name.hasPrefix("vpnaas.sqlite") {
            let data = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
            if data.count >= bytes.count {
                for i in 0...(data.count - bytes.count) where data[i] == bytes[0] && Array(data[i..<i + bytes.count]) == bytes {
                    return true
                }
            }
        }
        return false
    }

    @Test func pskIsSealedInTheFileAndOpensAfterRestart() async throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let keyPath = dir + "/secret.key"
        do {
            let store = try SQLiteStore(path: dir + "/vpnaas.sqlite", secrets: try SecretBox.loadOrCreate(keyFile: keyPath))
            try await Self.seed(store)
            #expect(try await store.read { try await $0.ipsecSiteConnection("c")?.psk } == Self.psk)
        }
        // Key file: 32 bytes, owner-only.
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect((attributes[.size] as? NSNumber)?.intValue == 32)
        // Neither the database nor its WAL holds the plaintext; the column holds something else.
        #expect(try !Self.fileContains(dir, Self.psk))
        #expect(try Self.fileContains(dir, "198.51.100.1"))  // the scan does find plain columns
        let queue = try DatabaseQueue(path: dir + "/vpnaas.sqlite")
        let sealed = try await queue.read { db in try Data.fetchOne(db, sql: "SELECT psk_sealed FROM vpn_ipsec_site_connections WHERE id = 'c'") }
        #expect(sealed != nil)
        #expect(sealed != Data(Self.psk.utf8))
        #expect(sealed.map { String(decoding: $0, as: UTF8.self).contains(Self.psk) } == false)
        try queue.close()
        // Restart with the same key file: the PSK opens; with another key it does not.
        let reopened = try SQLiteStore(path: dir + "/vpnaas.sqlite", secrets: try SecretBox.loadOrCreate(keyFile: keyPath))
        #expect(try await reopened.read { try await $0.ipsecSiteConnection("c")?.psk } == Self.psk)
        let wrongKey = try SQLiteStore(path: dir + "/vpnaas.sqlite", secrets: .random())
        await #expect(throws: StoreError.self) { try await wrongKey.read { try await $0.ipsecSiteConnection("c") } }
    }

    @Test func sealingIsRandomizedAndAuthenticated() throws {
        let box = SecretBox.random()
        let a = try box.seal("same")
        let b = try box.seal("same")
        #expect(a != b)
        #expect(try box.open(a) == "same")
        var tampered = a
        tampered[tampered.count - 1] ^= 1
        #expect(throws: StoreError.self) { try box.open(tampered) }
        #expect(!String(describing: box).contains("same"))
    }

    @Test func migrationsAreAppendOnly() async throws {
        let store = try SQLiteStore()
        let applied = try await store.appliedMigrations()
        #expect(Array(applied.prefix(3)) == ["0001_core_l3", "0002_vpnaas", "0003_identity"])
        #expect(applied.contains("0004_quotas") && applied.contains("0005_audit_events"))
        #expect(Array(applied.suffix(3)) == ["0009_list_indexes", "0010_network_agents", "0011_connection_runtime"])
    }

    @Test func schemaRefusesDeletingPoliciesInUse() async throws {
        let store = try SQLiteStore()
        try await Self.seed(store)
        await #expect(throws: StoreError.self) { try await store.write { try await $0.deleteIKEPolicy("ike") } }
        await #expect(throws: StoreError.self) { try await store.write { try await $0.deleteVPNService("s") } }
        await #expect(throws: StoreError.self) { try await store.write { try await $0.deleteRouter("r") } }
        try await store.write { try await $0.deleteIPsecSiteConnection("c") }
        try await store.write { try await $0.deleteIKEPolicy("ike") }
        #expect(try await store.read { try await $0.ikePolicies() }.isEmpty)
    }
}
