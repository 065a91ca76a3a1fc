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
