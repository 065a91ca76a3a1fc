import VPNaaSDomain

/// API crypto values → strongSwan proposal keywords (neutron-vpnaas' DIALECT_MAP, with the PRF a
/// combined-mode IKE proposal needs).
package enum StrongSwanProposals {
    package static func encryption(_ e: EncryptionAlgorithm) -> String {
        // "aes-256-gcm-16" → "aes256gcm16", "aes-128-ctr" → "aes128ctr", "aes-192" → "aes192".
        e.rawValue.split(separator: "-").joined()
    }

    package static func isAEAD(_ e: EncryptionAlgorithm) -> Bool {
        e.rawValue.contains("gcm") || e.rawValue.contains("ccm")
    }

    package static func integrity(_ a: AuthAlgorithm) -> String {
        switch a {
        case .sha1: "sha1"
        case .sha256: "sha256"
        case .sha384: "sha384"
        case .sha512: "sha512"
        case .aesXCBC: "aesxcbc"
        case .aesCMAC: "aescmac"
        }
    }

    package static func dhGroup(_ g: PFSGroup) -> String {
        switch g {
        case .group2: "modp1024"
        case .group5: "modp1536"
        case .group14: "modp2048"
        case .group15: "modp3072"
        case .group16: "modp4096"
        case .group17: "modp6144"
        case .group18: "modp8192"
        case .group19: "ecp256"
        case .group20: "ecp384"
        case .group21: "ecp521"
        case .group22: "modp1024s160"
        case .group23: "modp2048s224"
        case .group24: "modp2048s256"
        case .group25: "ecp192"
        case .group26: "ecp224"
        case .group27: "ecp224bp"
        case .group28: "ecp256bp"
        case .group29: "ecp384bp"
        case .group30: "ecp512bp"
        case .group31: "curve25519"
        }
    }

    package static func ike(_ p: IKEPolicy) -> String {
        let enc = encryption(p.encryptionAlgorithm)
        if isAEAD(p.encryptionAlgorithm) { return "\(enc)-prf\(integrity(p.authAlgorithm))-\(dhGroup(p.pfs))" }
        return "\(enc)-\(integrity(p.authAlgorithm))-\(dhGroup(p.pfs))"
    }

    package static func child(_ p: IPsecPolicy) -> String {
        let dh = dhGroup(p.pfs)
        if p.transformProtocol == .ah { return "\(integrity(p.authAlgorithm))-\(dh)" }
        let enc = encryption(p.encryptionAlgorithm)
        if isAEAD(p.encryptionAlgorithm) { return "\(enc)-\(dh)" }
        return "\(enc)-\(integrity(p.authAlgorithm))-\(dh)"
    }
}
