import Crypto
import Foundation
import Testing
import VPNaaSDomain
import VPNaaSIdentity
import VPNaaSStore

/// What several API replicas starting at once on one database and one key directory rely on: the
/// identity bootstrap happens once, and shared keys are created once.
@Suite struct ReplicaStartupTests {
    static func tempDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vpnaas-replica-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func service(_ store: any Store) -> IdentityService {
        IdentityService(store: store, codec: TokenCodec(ring: .random()), hasher: PasswordHasher(rounds: 1000), tokenLifetime: 3600)
    }

    /// Eight "replicas" (each its own connection pool on one SQLite file) bootstrap at once, with and
    /// without a given password: one admin, one admin project, one of each role, and the password file
    /// holds the password that was committed.
    @Test(arguments: [nil, "given-pw"] as [String?])
    func concurrentBootstrapsCreateTheAdminOnce(given: String?) async throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let secrets = SecretBox.random()
        let stores = try (0..<8).map { _ in try SQLiteStore(path: dir + "/vpnaas.sqlite", secrets: secrets) }
        let created = try await withThrowingTaskGroup(of: Bool.self) { group in
            for store in stores {
                group.addTask {
                    try await IdentityBootstrap.run(Self.service(store), dataDir: dir, authURL: "http://127.0.0.1:1", password: given).created
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(created.filter { $0 }.count == 1)
        let (users, projects, roles) = try await stores[0].read { tx in
            (try await tx.identityUsers().map(\.name), try await tx.identityProjects().map(\.name), try await tx.identityRoles().map(\.name))
        }
        #expect(users.filter { $0 == "admin" }.count == 1)
        #expect(projects.filter { $0 == "admin" }.count == 1)
        #expect(roles.sorted() == IdentityService.standardRoles.sorted())
        let onDisk = try String(contentsOfFile: dir + "/admin-password", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        if let given { #expect(onDisk == given) }
        // Whatever replica answers, the password in the file logs in.
        for store in [stores[0], stores[7]] {
            let token = try await Self.service(store).authenticate(
                user: .init(name: "admin", domainName: "Default"), password: onDisk,
                scope: .projectName("admin", domainID: nil, domainName: "Default"))
            #expect(token.roles.contains { $0.name == "admin" })
        }
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/admin-password")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).allSatisfy { !$0.contains(".tmp-") })
    }

    @Test func concurrentKeyCreationsAgreeOnOneKey() async throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rings = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<16 {
                group.addTask { try TokenKeyRing.loadOrCreate(directory: dir + "/token-keys").primary.bytes }
            }
            return try await group.reduce(into: [[UInt8]]()) { $0.append($1) }
        }
        #expect(Set(rings).count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/token-keys") == ["1"])

        let boxes = try await withThrowingTaskGroup(of: SecretBox.self) { group in
            for _ in 0..<16 {
                group.addTask { try SecretBox.loadOrCreate(keyFile: dir + "/secret.key") }
            }
            return try await group.reduce(into: [SecretBox]()) { $0.append($1) }
        }
        let sealed = try boxes[0].seal("a-psk")
        for box in boxes { #expect(try box.open(sealed) == "a-psk") }
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/secret.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["secret.key", "token-keys"])
    }

    @Test func createOnceKeepsTheFirstFile() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try SecureFile.createOnce(Array("one".utf8), at: dir + "/f") == Array("one".utf8))
        #expect(try SecureFile.createOnce(Array("two".utf8), at: dir + "/f") == Array("one".utf8))
    }
}
