import Foundation
import Testing
import VPNaaSIdentity

@Suite struct TokenCodecTests {
    let payload = TokenPayload(userID: "user-0123456789abcdef", projectID: "p1", methods: ["password"], issuedAt: 1000, expiresAt: 4600, auditID: "a")

    @Test func sealedTokenOpensToTheSamePayload() throws {
        let codec = TokenCodec(ring: .random())
        let token = try codec.seal(payload)
        #expect(token.hasPrefix("gAAA"))
        // A long id: a short one ("u1") turns up in random base64 by chance about once in twenty tokens.
        #expect(!token.contains("user-0123456789abcdef"), "ids are sealed, not readable")
        #expect(try codec.open(token, now: 1001) == payload)
    }

    @Test func expiredTokenIsRefused() throws {
        let codec = TokenCodec(ring: .random())
        let token = try codec.seal(payload)
        #expect(throws: KeystoneError.self) { try codec.open(token, now: 4600) }
        #expect(try codec.open(token, now: 4599).userID == "user-0123456789abcdef")
    }

    @Test func tamperedOrForeignTokensAreRefused() throws {
        let codec = TokenCodec(ring: .random())
        let token = try codec.seal(payload)
        var chars = Array(token)
        let i = chars.count / 2
        chars[i] = chars[i] == "A" ? "B" : "A"
        #expect(throws: KeystoneError.self) { try codec.open(String(chars), now: 1001) }
        #expect(throws: KeystoneError.self) { try TokenCodec(ring: .random()).open(token, now: 1001) }
        #expect(throws: KeystoneError.self) { try codec.open("not-a-token", now: 1001) }
        #expect(throws: KeystoneError.self) { try codec.open("", now: 1001) }
    }

    @Test func rotationKeepsOlderTokensValidUntilTheirKeyIsPruned() throws {
        let dir = NSTemporaryDirectory() + "tokenkeys-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try TokenKeyRing.loadOrCreate(directory: dir)
        #expect(first.primary.number == 1)
        let perms = try FileManager.default.attributesOfItem(atPath: dir + "/1")[.posixPermissions] as? Int
        #expect(perms == 0o600)
        let old = try TokenCodec(ring: first).seal(payload)

        let second = try TokenKeyRing.rotate(directory: dir, keep: 2)
        #expect(second.primary.number == 2)
        let rotated = TokenCodec(ring: second)
        #expect(try rotated.open(old, now: 1001) == payload, "a rotated ring still opens tokens of the previous key")
        let newer = try rotated.seal(payload)
        #expect(throws: KeystoneError.self) { try TokenCodec(ring: first).open(newer, now: 1001) }

        let third = try TokenKeyRing.rotate(directory: dir, keep: 2)
        #expect(third.keys.map(\.number) == [3, 2])
        #expect(throws: KeystoneError.self) { try TokenCodec(ring: third).open(old, now: 1001) }
        #expect(try TokenCodec(ring: third).open(newer, now: 1001) == payload)
        // Reloading from disk gives the same ring.
        #expect(try TokenKeyRing.loadOrCreate(directory: dir).keys.map(\.number) == [3, 2])
    }
}

@Suite struct PasswordHasherTests {
    @Test func verifiesOnlyTheRightPassword() throws {
        let hasher = PasswordHasher(rounds: 1000)
        let hash = try hasher.hash("correct horse")
        #expect(hash.hasPrefix("pbkdf2-sha256$1000$"))
        #expect(!hash.contains("correct horse"))
        #expect(hasher.verify("correct horse", against: hash))
        #expect(!hasher.verify("correct hors", against: hash))
        #expect(!hasher.verify("", against: hash))
        #expect(!hasher.verify("correct horse", against: "plain$text"))
    }

    @Test func saltsDifferAndRoundsTravelWithTheHash() throws {
        let a = try PasswordHasher(rounds: 1000).hash("pw")
        let b = try PasswordHasher(rounds: 1000).hash("pw")
        #expect(a != b)
        // A hasher configured with another round count still verifies older hashes.
        #expect(PasswordHasher(rounds: 5000).verify("pw", against: a))
        let fields = a.split(separator: "$")
        let tampered = "\(fields[0])$1001$\(fields[2])$\(fields[3])"
        #expect(!PasswordHasher().verify("pw", against: tampered))
    }

    @Test func defaultIsASlowKDF() {
        #expect(PasswordHasher().rounds >= 600_000)
    }
}
