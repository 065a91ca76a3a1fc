extension NetworkHost {
    /// Names end up as argv words and as paths under /run/netns; rejecting odd ones early gives a
    /// clear error instead of a confusing iproute2 message (or a path outside /run/netns).
    package static func validateNamespace(_ name: String) throws {
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        guard !name.isEmpty, name.count <= 200, allowed, name != ".", name != ".." else {
            throw NetNSError.invalidArgument("namespace name \"\(name)\"")
        }
    }

    /// Linux IFNAMSIZ is 16 including the NUL, hence 15 characters.
    package static func validateInterface(_ name: String) throws {
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.@".contains($0)) }
        guard !name.isEmpty, name.count <= 15, allowed, !name.hasPrefix("-") else {
            throw NetNSError.invalidArgument("interface name \"\(name)\" (1-15 of [A-Za-z0-9-_.])")
        }
    }

    static func validate(_ operation: IPOperation) throws {
        switch operation {
        case .addBridge(let name), .deleteLink(let name), .releaseLink(let name):
            try validateInterface(name)
        case .addVXLAN(let name, let vni, let local, let port):
            try validateInterface(name)
            guard (1...16_777_215).contains(vni), (1...65535).contains(port), IPFamily.of(local) != nil, !local.contains("/") else {
                throw NetNSError.invalidArgument("vxlan \(name): vni \(vni), local \(local), port \(port)")
            }
        case .addVethPair(let name, let peer, let peerNamespace):
            try validateInterface(name)
            try validateInterface(peer)
            if let peerNamespace { try validateNamespace(peerNamespace) }
        case .setLink(let name, _, let master, _, let mtu):
            try validateInterface(name)
            if let master { try validateInterface(master) }
            if let mtu, !(68...65535).contains(mtu) { throw NetNSError.invalidArgument("mtu \(mtu)") }
        case .moveLink(let name, let namespace):
            try validateInterface(name)
            try validateNamespace(namespace)
        case .addAddress(let cidr, let device, _), .deleteAddress(let cidr, let device):
            try validateInterface(device)
            guard IPFamily.of(cidr) != nil, cidr.contains("/") else {
                throw NetNSError.invalidArgument("address \"\(cidr)\" (expected a CIDR)")
            }
        case .replaceRoute(let route), .deleteRoute(let route):
            if let device = route.device { try validateInterface(device) }
        case .addRule, .deleteRule:
            break
        }
    }
}
