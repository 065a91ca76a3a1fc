import Crypto

import Foundation

/// The keys tokens are sealed with, Fernet-repository style: numbered 32-byte files in one directory
/// (`<data-dir>/token-keys/1`, `2`, …). The highest number seals new tokens; every key still present
/// opens them, so rotating (adding a key, later pruning old ones) never logs anyone out early.
package struct TokenKeyRing: Sendable {
    /// (key number, raw key bytes), highest first. SymmetricKey is not Sendable, so bytes are kept.
    package let keys: [(number: Int, bytes: [UInt8])]

    package init(keys: [(number: Int, bytes: [UInt8])]) {
        precondition(!keys.isEmpty, "a key ring needs at least one key")
        self.keys = keys.sorted { $0.number > $1.number }
    }

    /// One fresh random key (tests, in-memory runs).
    package static func random() -> TokenKeyRing {
        TokenKeyRing(keys: [(1, randomKey())])
    }

    package var primary: (number: Int, bytes: [UInt8]) { keys[0] }

    package func key(number: Int) -> SymmetricKey? {
        keys.first(where: { $0.number == number }).map { SymmetricKey(data: $0.bytes) }
    }

    /// Loads every key in `directory`, creating the directory (0700) and a first key when empty.
    package static func loadOrCreate(directory: String) throws -> TokenKeyRing {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var keys: [(Int, [UInt8])] = []
        for name in try fm.contentsOfDirectory(atPath: directory) {
            guard let number = Int(name), number > 0 else { continue }
            guard let bytes = SecureFile.read(directory + "/" + name), bytes.count == 32 else {
                throw IdentitySetupError("token key \(directory)/\(name) must hold exactly 32 bytes")
            }
            keys.append((number, bytes))
        }
        if keys.isEmpty {
            // Replicas sharing the key directory may start at once: the first key is created once and
            // every one of them uses whichever was linked in first.
            let bytes = try SecureFile.createOnce(randomKey(), at: directory + "/1")
            guard bytes.count == 32 else { throw IdentitySetupError("token key \(directory)/1 must hold exactly 32 bytes") }
            keys.append((1, bytes))
        }
        return TokenKeyRing(keys: keys)
    }

    /// Adds a new primary key and keeps at most `keep` keys (the newest), as `keystone-manage
    /// fernet_rotate` does. Tokens sealed with a pruned key stop validating.
    package static func rotate(directory: String, keep: Int = 3) throws -> TokenKeyRing {
        let ring = try loadOrCreate(directory: directory)
        let next = ring.primary.number + 1
        _ = try SecureFile.createOnce(randomKey(), at: "\(directory)/\(next)")
        let all = try loadOrCreate(directory: directory)
        for old in all.keys.dropFirst(max(keep, 1)) {
            try FileManager.default.removeItem(atPath: "\(directory)/\(old.number)")
        }
        return try loadOrCreate(directory: directory)
    }

    private static func randomKey() -> [UInt8] {
        SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }
}
