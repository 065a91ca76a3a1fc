import Foundation

/// Where the agent puts things on its host, and which IPsec backend it drives.
package struct AgentLayout: Sendable, Equatable {
    package enum PhysicalNetworkMapping: Sendable, Equatable {
        /// A bridge inside a namespace of its own: nothing touches the host's interfaces.
        case isolated
        /// An existing bridge of the host (production); the agent only plugs ports into it.
        case hostBridge(String)
    }

    package enum IPsecBackend: String, Sendable, Equatable {
        /// Kernel ESP (XFRM states) — not available on kernels built without ESP.
        case xfrm
        /// strongSwan's userspace ESP over a TUN device (`kernel-libipsec`).
        case libipsec
    }

    /// Holds tenant network bridges.
    package var l2Namespace = "vpnaas-l2"
    /// Prefix of the namespace holding an isolated physical network's bridges.
    package var providerNamespacePrefix = "vpnaas-pn-"
    package var physicalNetworks: [String: PhysicalNetworkMapping] = [:]
    package var backend: IPsecBackend = .libipsec
    /// Most routers with VPN connections this host realises (`agent_max_routers`); nil = no limit.
    /// Each costs a namespace and a charon, so one tenant must not be able to exhaust a host.
    package var maxVPNRouters: Int?

    package init() {}

    package func mapping(of physicalNetwork: String) -> PhysicalNetworkMapping {
        physicalNetworks[physicalNetwork] ?? .isolated
    }

    /// Parses `public=isolated,datacentre=bridge:br-ex`.
    package static func parseMappings(_ text: String) throws(LayoutError) -> [String: PhysicalNetworkMapping] {
        var result: [String: PhysicalNetworkMapping] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else { throw LayoutError(text: String(item)) }
            if parts[1] == "isolated" {
                result[parts[0]] = .isolated
            } else if parts[1].hasPrefix("bridge:"), parts[1].count > 7, parts[1].count <= 22 {
                result[parts[0]] = .hostBridge(String(parts[1].dropFirst(7)))
            } else {
                throw LayoutError(text: String(item))
            }
        }
        return result
    }

    package struct LayoutError: Error, CustomStringConvertible {
        package var text: String
        package var description: String {
            "physical_network_mappings entry '\(text)' must be NAME=isolated or NAME=bridge:BRIDGE"
        }
    }
}

/// Interface and namespace names, kept within Linux's 15-character limit and stable across
/// restarts so an agent can find what it made before.
package enum Names {
    static func short(_ id: String) -> String { String(id.prefix(11)) }
    package static func router(_ id: String) -> String { "qrouter-\(id)" }
    package static func probe(_ id: String) -> String { "qprobe-\(id)" }
    package static func bridge(_ networkID: String) -> String { "brq\(short(networkID))" }
    package static func gatewayPort(_ id: String) -> String { "qg-\(short(id))" }
    package static func interfacePort(_ id: String) -> String { "qr-\(short(id))" }
    package static func probePort(_ id: String) -> String { "tap\(short(id))" }
    /// The bridge side of any port's veth pair.
    package static func bridgePort(_ id: String) -> String { "vp-\(short(id))" }
}
