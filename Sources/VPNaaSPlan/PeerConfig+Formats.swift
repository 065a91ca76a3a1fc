import Foundation
import VPNaaSDomain

extension PeerConfig {
    // MARK: - strongSwan (swanctl.conf)

    /// A complete swanctl.conf: `swanctl --load-all` loads it as is (connections and secrets).
    var swanctl: String {
        var out = header.map { "# " + $0 } + ["# Install as /etc/swanctl/conf.d/\(name).conf, then: swanctl --load-all", ""]
        let dpd = connection.dpd
        out.append("connections {")
        out.append("    \(name) {")
        out.append("        version = \(plan.ikeVersion == .v1 ? 1 : 2)")
        out.append("        local_addrs = \(peerAddress)")
        out.append("        remote_addrs = \(ourAddress)")
        out.append("        proposals = \(plan.ikeProposal)")
        if plan.ikeVersion == .v1 { out.append("        aggressive = \(plan.aggressive ? "yes" : "no")") }
        out.append("        rekey_time = \(plan.ikeLifetime)s")
        out.append("        mobike = no")
        out.append("        keyingtries = 0")
        if dpd.action == .disabled {
            out.append("        dpd_delay = 0")
        } else {
            out.append("        dpd_delay = \(dpd.interval)s")
            if plan.ikeVersion == .v1 { out.append("        dpd_timeout = \(dpd.timeout)s") }
        }
        out += ["        local {", "            auth = psk", "            id = \(Self.quoted(peerSideID))", "        }"]
        out += ["        remote {", "            auth = psk", "            id = \(Self.quoted(ourID))", "        }"]
        out.append("        children {")
        out.append("            \(name) {")
        out.append("                local_ts = \(plan.remoteTS.map(\.description).joined(separator: ","))")
        out.append("                remote_ts = \(plan.localTS.map(\.description).joined(separator: ","))")
        out.append("                \(plan.childProtocol == "ah" ? "ah_proposals" : "esp_proposals") = \(plan.childProposal)")
        out.append("                rekey_time = \(plan.childLifetime)s")
        out.append("                mode = \(plan.mode.rawValue)")
        out.append("                dpd_action = \(dpd.action == .disabled ? "none" : dpd.action == .clear ? "clear" : "restart")")
        // Both ends may initiate; starting at load also works where the IPsec backend raises no acquires.
        out.append("                start_action = start")
        out.append("                close_action = none")
        out += ["            }", "        }", "    }", "}", ""]
        out += ["secrets {", "    ike-\(name) {", "        id-1 = \(Self.quoted(peerSideID))", "        id-2 = \(Self.quoted(ourID))",
                "        secret = \(Self.quoted(secret))", "    }", "}", ""]
        return out.joined(separator: "\n")
    }

    /// swanctl.conf string quoting (backslash escapes inside double quotes).
    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    // MARK: - Libreswan (ipsec.conf + ipsec.secrets)

    var libreswan: String {
        var out = header.map { "# " + $0 } + ["# /etc/ipsec.d/\(name).conf, then: ipsec auto --add \(name) && ipsec auto --up \(name)", ""]
        let dpd = connection.dpd
        out.append("conn \(name)")
        out.append("    ikev2=\(plan.ikeVersion == .v2 ? "insist" : "no")")
        if plan.ikeVersion == .v1 { out.append("    aggressive=\(plan.aggressive ? "yes" : "no")") }
        out.append("    authby=secret")
        out.append("    left=\(peerAddress)")
        out.append("    leftid=\(Self.libreswanID(peerSideID))")
        out.append("    leftsubnets={\(plan.remoteTS.map(\.description).joined(separator: " "))}")
        out.append("    right=\(ourAddress)")
        out.append("    rightid=\(Self.libreswanID(ourID))")
        out.append("    rightsubnets={\(plan.localTS.map(\.description).joined(separator: " "))}")
        out.append("    ike=\(Self.libreswanIKE(ike))")
        out.append("    \(ipsec.transformProtocol == .ah ? "ah" : "esp")=\(Self.libreswanChild(ipsec))")
        out.append("    pfs=yes")
        out.append("    ikelifetime=\(plan.ikeLifetime)s")
        out.append("    salifetime=\(plan.childLifetime)s")
        out.append("    type=\(plan.mode == .transport ? "transport" : "tunnel")")
        if dpd.action != .disabled {
            out.append("    dpddelay=\(dpd.interval)")
            out.append("    dpdtimeout=\(dpd.timeout)")
            out.append("    dpdaction=\(dpd.action == .clear ? "clear" : "restart")")
        }
        out.append("    auto=start")
        out += ["", "# /etc/ipsec.d/\(name).secrets", "\(Self.libreswanID(peerSideID)) \(Self.libreswanID(ourID)) : PSK \(Self.quoted(secret))", ""]
        return out.joined(separator: "\n")
    }

    /// IP addresses are used as is; other identities are FQDN-style (`@name`) in Libreswan.
    static func libreswanID(_ id: String) -> String {
        IPAddress(id) != nil || id.hasPrefix("@") || id.hasPrefix("%") ? id : "@" + id
    }

    static func libreswanIKE(_ p: IKEPolicy) -> String {
        let enc = libreswanCipher(p.encryptionAlgorithm)
        let integ = libreswanIntegrity(p.authAlgorithm)
        return "\(enc)-\(integ);\(libreswanDH(p.pfs))"
    }

    static func libreswanChild(_ p: IPsecPolicy) -> String {
        let integ = libreswanIntegrity(p.authAlgorithm)
        if p.transformProtocol == .ah { return "\(integ);\(libreswanDH(p.pfs))" }
        let enc = libreswanCipher(p.encryptionAlgorithm)
        return StrongSwanProposals.isAEAD(p.encryptionAlgorithm) ? "\(enc);\(libreswanDH(p.pfs))" : "\(enc)-\(integ);\(libreswanDH(p.pfs))"
    }

    /// "aes-256" → aes256, "aes-128-ctr" → aes_ctr128, "aes-256-gcm-16" → aes_gcm16_256, "3des" → 3des.
    static func libreswanCipher(_ e: EncryptionAlgorithm) -> String {
        let parts = e.rawValue.split(separator: "-")
        guard parts.first == "aes", parts.count >= 2 else { return e.rawValue }
        let bits = parts[1]
        if parts.count == 2 { return "aes\(bits)" }
        if parts[2] == "ctr" { return "aes_ctr\(bits)" }
        return "aes_\(parts[2])\(parts.count > 3 ? parts[3] : "16")_\(bits)"
    }

    static func libreswanIntegrity(_ a: AuthAlgorithm) -> String {
        switch a {
        case .sha1: "sha1"
        case .sha256: "sha2_256"
        case .sha384: "sha2_384"
        case .sha512: "sha2_512"
        case .aesXCBC: "aes_xcbc"
        case .aesCMAC: "aes_cmac"
        }
    }

    /// MODP groups by size, elliptic curves by number (Libreswan's dh19…dh31); others as strongSwan names them.
    static func libreswanDH(_ g: PFSGroup) -> String {
        let name = StrongSwanProposals.dhGroup(g)
        switch g {
        case .group19, .group20, .group21, .group31: return "dh" + g.rawValue.dropFirst("group".count)
        default: return name
        }
    }

    // MARK: - generic parameter sheet

    var generic: String {
        let dpd = connection.dpd
        let rows: [(String, String)] = [
            ("VPNaaS gateway (remote peer address)", ourAddress),
            ("VPNaaS gateway identity (remote IKE ID)", ourID),
            ("Your gateway address", peerAddress),
            ("Your identity (local IKE ID)", peerSideID),
            ("Authentication", "pre-shared key"),
            ("Pre-shared key", secret),
            ("IKE version", plan.ikeVersion == .v1 ? "IKEv1 (\(plan.aggressive ? "aggressive" : "main") mode)" : "IKEv2"),
            ("IKE encryption", ike.encryptionAlgorithm.rawValue),
            ("IKE integrity / PRF", ike.authAlgorithm.rawValue),
            ("IKE Diffie-Hellman group", "\(ike.pfs.rawValue) (\(StrongSwanProposals.dhGroup(ike.pfs)))"),
            ("IKE lifetime", "\(plan.ikeLifetime) seconds"),
            ("IPsec protocol", ipsec.transformProtocol.rawValue),
            ("IPsec encryption", ipsec.encryptionAlgorithm.rawValue),
            ("IPsec integrity", ipsec.authAlgorithm.rawValue),
            ("IPsec PFS group", "\(ipsec.pfs.rawValue) (\(StrongSwanProposals.dhGroup(ipsec.pfs)))"),
            ("IPsec lifetime", "\(plan.childLifetime) seconds"),
            ("IPsec mode", plan.mode.rawValue),
            ("Your local networks (traffic selectors)", plan.remoteTS.map(\.description).joined(separator: ", ")),
            ("Remote networks behind VPNaaS", plan.localTS.map(\.description).joined(separator: ", ")),
            ("Dead peer detection", dpd.action == .disabled ? "off" : "every \(dpd.interval) s, peer dead after \(dpd.timeout) s"),
            ("Tunnel MTU", "\(connection.mtu)"),
            ("Who initiates", peerMustInitiate ? "your gateway must initiate (VPNaaS only responds)" : "either side"),
            ("strongSwan proposals", "IKE \(plan.ikeProposal); \(plan.childProtocol.uppercased()) \(plan.childProposal)"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        let body = rows.map { $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 }
        return (header + [""] + body + [""]).joined(separator: "\n")
    }
}
