import Foundation

/// Where the agent puts things on its host, and which IPsec backend it drives.
package struct AgentLayout: Sendable, Equatable {
    package enum PhysicalNetworkMapping: Sendable, Equatable {
        /// A bridge inside a namespace of its own: nothing touches the host's interfaces.
        case isolated
        /// An existing bridge in the agent's network namespace (production); the agent only plugs and
        /// unplugs its own ports, never creates, addresses or deletes it.
        case hostBridge(String)
        /// A NIC in the agent's network namespace, enslaved to a bridge the agent makes per network
        /// (`brq<network>`, as Neutron linuxbridge's `physical_interface_mappings`); the NIC's own
        /// addresses are never touched.
        case hostInterface(String)

        /// The device in the agent's namespace this mapping needs, if any.
        package var hostDevice: String? {
            switch self {
            case .isolated: nil
            case .hostBridge(let name), .hostInterface(let name): name
            }
        }
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
    /// This host's underlay address for VXLAN tenant networks (`tunnel_local_ip`); nil: tenant networks stay
    /// on this host.
    package var tunnelLocalIP: String?
    package var backend: IPsecBackend = .libipsec
    /// Most routers with VPN connections this host realises (`agent_max_routers`); nil = no limit.
    /// Each costs a namespace and a charon, so one tenant must not be able to exhaust a host.
    package var maxVPNRouters: Int?

    package init() {}

    package func mapping(of physicalNetwork: String) -> PhysicalNetworkMapping {
        physicalNetworks[physicalNetwork] ?? .isolated
    }

    /// Parses `public=isolated,datacentre=bridge:br-ex,dc2=interface:eth1`.
    package static func parseMappings(_ text: String) throws(LayoutError) -> [String: PhysicalNetworkMapping] {
        var result: [String: PhysicalNetworkMapping] = [:]
        var devices: [String: String] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else { throw LayoutError(text: String(item)) }
            let mapping: PhysicalNetworkMapping
            if parts[1] == "isolated" {
                mapping = .isolated
            } else if let name = deviceName(parts[1], prefix: "bridge:") {
                mapping = .hostBridge(name)
            } else if let name = deviceName(parts[1], prefix: "interface:") {
                mapping = .hostInterface(name)
            } else {
                throw LayoutError(text: String(item))
            }
            guard result[parts[0]] == nil else { throw LayoutError(text: String(item), reason: "\(parts[0]) is mapped twice") }
            // One device carries one physical network: two would be one L2 segment under two names.
            if let device = mapping.hostDevice {
                if let other = devices[device] { throw LayoutError(text: String(item), reason: "\(device) already carries \(other)") }
                devices[device] = parts[0]
            }
            result[parts[0]] = mapping
        }
        return result
    }

    /// The device name after `prefix`, if it is a valid Linux interface name (1-15 characters).
    static func deviceName(_ text: String, prefix: String) -> String? {
        guard text.hasPrefix(prefix) else { return nil }
        let name = String(text.dropFirst(prefix.count))
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        return !name.isEmpty && name.count <= 15 && allowed && !name.hasPrefix("-") ? name : nil
    }

    package struct LayoutError: Error, CustomStringConvertible {
        package var text: String
        package var reason: String?
        package init(text: String, reason: String? = nil) {
            self.text = text
            self.reason = reason
        }
        package var description: String {
            "physical_network_mappings entry '\(text)': "
                + (reason ?? "must be NAME=isolated, NAME=bridge:BRIDGE or NAME=interface:IFACE (names of 1-15 characters)")
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
