import VPNaaSPlan
/// The per-router `strongswan.conf`: daemon settings only (plugins, sockets, logging, the
/// retransmission schedule). Connections and secrets never go to files: they are loaded over VICI.
package struct CharonConfig: Sendable, Equatable {
    package var socketPath: String
    package var logPath: String
    package var backend: AgentLayout.IPsecBackend

    /// kernel-libipsec must precede kernel-netlink, or the XFRM backend wins (pitfall 4).
    package var plugins: [String] {
        let base = ["random", "nonce", "openssl", "aes", "sha1", "sha2", "hmac", "gmp", "kdf", "pem", "pkcs1", "x509", "pubkey"]
        let kernel = backend == .libipsec ? ["kernel-libipsec", "kernel-netlink"] : ["kernel-netlink"]
        return base + kernel + ["socket-default", "vici"]
    }

    /// Per-IP half-open IKE_SA limit: room for many connections to one peer gateway coming up at once.
    package static let blockThreshold = 256

    package var rendered: String {
        """
        # Written by the vpnaas agent for one router namespace; connections come over VICI.
        charon-systemd {
            load_modular = no
            load = \(plugins.joined(separator: " "))
            routing_table = 220
            routing_table_prio = 220
            # IKEv2 liveness: 5 retransmits, 2.9 s * 1.8^n (~120 s); the agent enforces each
            # connection's own dpd timeout on top of it.
            retransmit_tries = 5
            retransmit_timeout = 2.9
            retransmit_base = 1.8
            # Half-open IKE_SAs accepted per peer IP (charon's default is 5). Every connection to the same
            # peer gateway is its own IKE_SA, so with the default a router pair with many connections drops
            # all but 5 setups and waits for retransmits (100 connections took 10-16 s to come up instead of
            # ~1 s). cookie_threshold (10 half-open in total, default) still makes a flood prove its address.
            block_threshold = \(Self.blockThreshold)
            plugins {
                vici {
                    socket = unix://\(socketPath)
                }
            }
            journal {
                default = -1
            }
            filelog {
                main {
                    path = \(logPath)
                    time_format = %F %T
                    ike_name = yes
                    append = yes
                    flush_line = yes
                    default = 1
                }
            }
        }

        """
    }
}
