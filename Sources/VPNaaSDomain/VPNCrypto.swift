/// Crypto vocabulary shared by IKE and IPsec policies, with Neutron's wire values.
/// `sha1` and `3des` are legacy (design §3 deviation 1): refused with 400 unless the operator turns on
/// `allow_legacy_crypto` for peers that need them (Terraform's policy resources also default to sha1).
package enum AuthAlgorithm: String, Codable, Sendable, CaseIterable {
    case sha1
    case sha256, sha384, sha512
    case aesXCBC = "aes-xcbc"
    case aesCMAC = "aes-cmac"

    /// Broken or weak: accepted only with `allow_legacy_crypto`.
    package var isLegacy: Bool { self == .sha1 }
}

package enum EncryptionAlgorithm: String, Codable, Sendable, CaseIterable {
    case tripleDES = "3des"
    case aes128 = "aes-128", aes192 = "aes-192", aes256 = "aes-256"
    case aes128CTR = "aes-128-ctr", aes192CTR = "aes-192-ctr", aes256CTR = "aes-256-ctr"
    case aes128CCM8 = "aes-128-ccm-8", aes128CCM12 = "aes-128-ccm-12", aes128CCM16 = "aes-128-ccm-16"
    case aes192CCM8 = "aes-192-ccm-8", aes192CCM12 = "aes-192-ccm-12", aes192CCM16 = "aes-192-ccm-16"
    case aes256CCM8 = "aes-256-ccm-8", aes256CCM12 = "aes-256-ccm-12", aes256CCM16 = "aes-256-ccm-16"
    case aes128GCM8 = "aes-128-gcm-8", aes128GCM12 = "aes-128-gcm-12", aes128GCM16 = "aes-128-gcm-16"
    case aes192GCM8 = "aes-192-gcm-8", aes192GCM12 = "aes-192-gcm-12", aes192GCM16 = "aes-192-gcm-16"
    case aes256GCM8 = "aes-256-gcm-8", aes256GCM12 = "aes-256-gcm-12", aes256GCM16 = "aes-256-gcm-16"

    /// 64-bit block cipher (Sweet32): accepted only with `allow_legacy_crypto`.
    package var isLegacy: Bool { self == .tripleDES }
}

/// Diffie-Hellman group (Neutron's `pfs`): group2, group5, group14 … group31.
package enum PFSGroup: String, Codable, Sendable, CaseIterable {
    case group2, group5, group14, group15, group16, group17, group18, group19, group20, group21, group22
    case group23, group24, group25, group26, group27, group28, group29, group30, group31
}

/// SA lifetime: only seconds, at least 60.
package struct Lifetime: Codable, Sendable, Equatable {
    package enum Units: String, Codable, Sendable, CaseIterable { case seconds }
    package static let minimum = 60
    package static let `default` = Lifetime(units: .seconds, value: 3600)

    package var units: Units
    package var value: Int

    package init(units: Units = .seconds, value: Int) {
        self.units = units
        self.value = value
    }

    /// Partial input as given in a body: omitted keys keep the base's values.
    package struct Input: Sendable, Equatable {
        package var units: Units?
        package var value: Int?
        package init(units: Units? = nil, value: Int? = nil) {
            self.units = units
            self.value = value
        }
    }

    package func merged(_ input: Input?) -> Lifetime {
        guard let input else { return self }
        return Lifetime(units: input.units ?? units, value: input.value ?? value)
    }
}

/// VPN service and connection statuses.
package enum VPNStatus: String, Codable, Sendable, CaseIterable {
    case active = "ACTIVE", down = "DOWN", build = "BUILD", error = "ERROR"
    case pendingCreate = "PENDING_CREATE", pendingUpdate = "PENDING_UPDATE", pendingDelete = "PENDING_DELETE"

    package var isPending: Bool { self == .pendingCreate || self == .pendingUpdate || self == .pendingDelete }
}
