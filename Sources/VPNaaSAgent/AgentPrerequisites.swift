import VPNaaSPlan
import Foundation
import NetNS

/// What the agent needs from its host. Missing pieces disable it with one clear message;
/// VPN objects then stay DOWN with that reason (never a fake ACTIVE).
package enum AgentPrerequisites {
    static let plugins = "/usr/lib/ipsec/plugins"

    /// Human-readable list of what is missing, empty when the agent can run.
    package static func missing(backend: AgentLayout.IPsecBackend?) -> [String] {
        var missing: [String] = []
        if geteuid() != 0 { missing.append("root privileges (network namespaces)") }
        if findExecutable("ip") == nil { missing.append("iproute2 (`ip`)") }
        if findExecutable("nft") == nil { missing.append("nftables (`nft`)") }
        if findExecutable("setsid") == nil { missing.append("util-linux (`setsid`)") }
        if !FileManager.default.isExecutableFile(atPath: CharonProcess.executable) { missing.append("charon-systemd") }
        if !FileManager.default.fileExists(atPath: "\(plugins)/libstrongswan-vici.so") { missing.append("strongswan-swanctl (vici plugin)") }
        if backend != .xfrm, !FileManager.default.fileExists(atPath: "\(plugins)/libstrongswan-kernel-libipsec.so") {
            missing.append("libcharon-extra-plugins (kernel-libipsec plugin)")
        }
        if !FileManager.default.fileExists(atPath: "\(plugins)/libstrongswan-openssl.so") {
            missing.append("libstrongswan-standard-plugins (openssl plugin)")
        }
        return missing
    }

    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        return (path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"])
            .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `auto`: kernel ESP when an ESP state can be installed (tried in a throwaway namespace),
    /// userspace ESP otherwise (this kernel has no ESP).
    package static func detectBackend(runner: any CommandRunner) async -> AgentLayout.IPsecBackend {
        let namespace = "vpnaas-xfrm-probe-\(getpid())"
        _ = try? await runner.run(Command("ip", ["netns", "add", namespace], toleratesFailure: true))
        defer { _ = namespace }
        let key16 = "0x" + String(repeating: "11", count: 16)
        let key32 = "0x" + String(repeating: "22", count: 32)
        let result = try? await runner.run(
            Command(
                "ip",
                ["-n", namespace, "xfrm", "state", "add", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp", "spi", "0x100",
                 "mode", "tunnel", "enc", "cbc(aes)", key16, "auth", "hmac(sha256)", key32], toleratesFailure: true))
        _ = try? await runner.run(Command("ip", ["netns", "delete", namespace], toleratesFailure: true))
        return result?.status == 0 ? .xfrm : .libipsec
    }
}
