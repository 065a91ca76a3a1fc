import Crypto

import Foundation

/// What a token says: who, in which project, how, and until when. Roles are not carried: they are
/// looked up at every validation, so a revoked grant takes effect at once.
package struct TokenPayload: Codable, Sendable, Equatable {
    package var userID: String
    package var projectID: String?
    package var methods: [String]
    package var issuedAt: Int64
    package var expiresAt: Int64
    package var auditID: String

    enum CodingKeys: String, CodingKey {
        case userID = "u", projectID = "p", methods = "m", issuedAt = "i", expiresAt = "e", auditID = "a"
    }

    package init(userID: String, projectID: String?, methods: [String], issuedAt: Int64, expiresAt: Int64, auditID: String) {
        self.userID = userID
        self.projectID = projectID
        self.methods = methods
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.auditID = auditID
    }
}

/// Fernet-like tokens: `gAAA` ‖ base64url(version ‖ key number (4 bytes) ‖ AES-256-GCM(payload JSON)).
/// Sealed, not just signed, so ids inside stay private; the key number picks the ring's key so rotated
/// keys keep opening older tokens.
package struct TokenCodec: Sendable {
    package let ring: TokenKeyRing
    static let prefix = "gAAA"
    static let version: UInt8 = 1

    package init(ring: TokenKeyRing) {
        self.ring = ring
    }

    package func seal(_ payload: TokenPayload) throws -> String {
        let json = try JSONEncoder().encode(payload)
        let primary = ring.primary
        let header: [UInt8] = [TokenCodec.version] + withUnsafeBytes(of: UInt32(primary.number).bigEndian) { Array($0) }
        let box = try AES.GCM.seal(json, using: SymmetricKey(data: primary.bytes), authenticating: header)
        guard let combined = box.combined else { throw KeystoneError.unauthorized("cannot seal token") }
        return TokenCodec.prefix + Base64URL.encode(header + Array(combined))
    }

    /// The payload of an authentic token, checked against `now`. Any failure is the same 401, so a
    /// caller learns nothing about why a forged token was refused.
    package func open(_ token: String, now: Int64) throws -> TokenPayload {
        let invalid = KeystoneError.unauthorized("The request you have made requires authentication.")
        guard token.hasPrefix(TokenCodec.prefix), let raw = Base64URL.decode(String(token.dropFirst(TokenCodec.prefix.count))),
            raw.count > 5 + 28, raw[0] == TokenCodec.version
        else { throw invalid }
        let number = raw[1...4].reduce(0) { $0 << 8 | Int($1) }
        guard let key = ring.key(number: number),
            let box = try? AES.GCM.SealedBox(combined: raw[5...]),
            let json = try? AES.GCM.open(box, using: key, authenticating: Array(raw[0..<5])),
            let payload = try? JSONDecoder().decode(TokenPayload.self, from: json)
        else { throw invalid }
        guard payload.expiresAt > now else { throw KeystoneError.unauthorized("The request you have made requires authentication.") }
        return payload
    }
}

/// URL-safe base64 without padding: tokens travel in headers and must not need escaping.
package enum Base64URL {
    package static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    package static func decode(_ text: String) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s).map { Array($0) }
    }
}
