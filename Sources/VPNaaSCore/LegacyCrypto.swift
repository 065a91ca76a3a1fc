import Logging
import VPNaaSDomain

/// The operator's `allow_legacy_crypto` switch: off (the default), `sha1` and `3des` in a request answer the
/// clear 400 Neutron's vpn-no-sha1-3des variant gives; on, they are accepted for peers that need them, and each
/// acceptance leaves a warning naming the object, so an audit finds them.
package struct LegacyCrypto: Sendable {
    package var allowed: Bool
    package var logger: Logger

    package init(allowed: Bool = false, logger: Logger = Logger(label: "vpnaas.crypto")) {
        self.allowed = allowed
        self.logger = logger
    }

    /// Checks the algorithms a request gives (stored ones are never re-judged, so a policy created while
    /// allowed can still be renamed after the switch is turned off).
    /// - Parameters:
    ///   - kind: `ikepolicy` or `ipsecpolicy`, for the log line.
    ///   - id: the object being created or updated.
    func check(auth: AuthAlgorithm?, encryption: EncryptionAlgorithm?, kind: String, id: String) throws(VPNaaSError) {
        let legacy: [(String, String)] =
            [auth.flatMap { $0.isLegacy ? ("auth_algorithm", $0.rawValue) : nil },
             encryption.flatMap { $0.isLegacy ? ("encryption_algorithm", $0.rawValue) : nil }].compactMap { $0 }
        guard let (attribute, value) = legacy.first else { return }
        guard allowed else { throw .invalidAttribute(attribute, reason: "\(value) is not in valid_values.") }
        logger.warning(
            "legacy crypto accepted (allow_legacy_crypto is on)",
            metadata: ["\(kind).id": "\(id)", "crypto.algorithms": "\(legacy.map(\.1).joined(separator: ","))"])
    }
}
