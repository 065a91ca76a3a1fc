import Crypto
import _CryptoExtras

import Foundation

/// Salted PBKDF2-HMAC-SHA256 password hashes in a self-describing string
/// `pbkdf2-sha256$<rounds>$<salt b64>$<hash b64>`, so the round count can grow without a migration.
package struct PasswordHasher: Sendable {
    /// OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
    package static let defaultRounds = 600_000
    package var rounds: Int

    package init(rounds: Int = PasswordHasher.defaultRounds) {
        self.rounds = rounds
    }

    package func hash(_ password: String) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var g = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: 0...255, using: &g) }
        let derived = try derive(password, salt: salt, rounds: rounds)
        return "pbkdf2-sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(Data(derived).base64EncodedString())"
    }

    /// Constant-time comparison of the derived key; unknown formats never match.
    package func verify(_ password: String, against encoded: String) -> Bool {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds >= 1,
            let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
            let actual = try? derive(password, salt: Array(salt), rounds: rounds), actual.count == expected.count
        else { return false }
        var diff: UInt8 = 0
        for (a, b) in zip(actual, expected) { diff |= a ^ b }
        return diff == 0
    }

    private func derive(_ password: String, salt: [UInt8], rounds: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }
}

extension PasswordHasher {
    /// Runs the deliberately slow KDF on a Dispatch thread: ~0.2 s of CPU on the cooperative pool would
    /// stall every other request on a 2-core host while someone logs in.
    package static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
