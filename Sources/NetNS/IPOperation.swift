/// One mutating `ip` command, as data: the unit of both single execs and `ip -batch`.
///
/// Every case is written to be safe to repeat (the agent's reconcile loop re-applies its whole
/// desired state): additions use `replace` where iproute2 has it, and otherwise the specific
/// "already exists"/"not found" answers are tolerated (see `tolerates(_:)`).
package enum IPOperation: Sendable, Equatable {
    case addBridge(String)
    /// A VXLAN device with head-end replication (no learning: the flood list is its FDB); its UDP socket lives in
    /// the namespace it is created in, even after the device moves to another one.
    case addVXLAN(String, vni: Int, local: String, port: Int = 4789)
    /// Both ends are created directly where they belong (`peer name B netns NS`), so nothing is ever
    /// created in, or moved through, the host namespace.
    case addVethPair(String, peer: String, peerNamespace: String?)
    /// nil leaves a property unchanged.
    case setLink(String, up: Bool? = nil, master: String? = nil, mac: String? = nil, mtu: Int? = nil)
    /// Detaches a bridge port (`nomaster`).
    case releaseLink(String)
    /// Moving a link drops its addresses and sets it down: configure it after the move.
    case moveLink(String, toNamespace: String)
    case deleteLink(String)
    /// `address replace`: idempotent. `noDAD` only applies to IPv6 (pitfall 16: DAD delays first packets ~2 s).
    case addAddress(String, device: String, noDAD: Bool = true)
    case deleteAddress(String, device: String)
    case replaceRoute(Route)
    case deleteRoute(Route)
    case addRule(PolicyRule)
    case deleteRule(PolicyRule)

    /// Routes and rules need `-4`/`-6` (a bare "default"/"all" would mean IPv4), and `ip -batch`
    /// takes the family once per invocation, so `NetworkHost.batch` groups by this.
    package var family: IPFamily? {
        switch self {
        case .replaceRoute(let route), .deleteRoute(let route): return route.family
        case .addRule(let rule), .deleteRule(let rule): return rule.family
        default: return nil
        }
    }

    /// The words after `ip [-n NS] [-4|-6]`; also one line of an `ip -batch` script.
    package var arguments: [String] {
        switch self {
        case .addBridge(let name):
            return ["link", "add", name, "type", "bridge"]
        case .addVXLAN(let name, let vni, let local, let port):
            return ["link", "add", name, "type", "vxlan", "id", String(vni), "local", local, "dstport", String(port), "nolearning"]
        case .addVethPair(let name, let peer, let peerNamespace):
            return ["link", "add", name, "type", "veth", "peer", "name", peer] + (peerNamespace.map { ["netns", $0] } ?? [])
        case .setLink(let name, let up, let master, let mac, let mtu):
            var words = ["link", "set", "dev", name]
            if let mtu { words += ["mtu", String(mtu)] }
            if let mac { words += ["address", mac] }
            if let master { words += ["master", master] }
            if let up { words.append(up ? "up" : "down") }
            return words
        case .releaseLink(let name):
            return ["link", "set", "dev", name, "nomaster"]
        case .moveLink(let name, let namespace):
            return ["link", "set", "dev", name, "netns", namespace]
        case .deleteLink(let name):
            return ["link", "del", "dev", name]
        case .addAddress(let cidr, let device, let noDAD):
            return ["address", "replace", cidr, "dev", device] + (noDAD && IPFamily.of(cidr) == .inet6 ? ["nodad"] : [])
        case .deleteAddress(let cidr, let device):
            return ["address", "del", cidr, "dev", device]
        case .replaceRoute(let route):
            return ["route", "replace"] + Self.routeWords(route, writing: true)
        case .deleteRoute(let route):
            return ["route", "del"] + Self.routeWords(route, writing: false)
        case .addRule(let rule):
            return ["rule", "add"] + Self.ruleWords(rule)
        case .deleteRule(let rule):
            return ["rule", "del"] + Self.ruleWords(rule)
        }
    }

    /// Whether a failure with this stderr means the desired state already holds.
    package func tolerates(_ stderr: String) -> Bool {
        switch self {
        case .addBridge, .addVXLAN, .addVethPair, .addRule:
            return stderr.contains("File exists")
        case .deleteLink:
            return stderr.contains("Cannot find device")
        case .deleteAddress:
            // IPv4: "Address not found"; IPv6: "Cannot assign requested address".
            return stderr.contains("Address not found") || stderr.contains("Cannot assign requested address")
                || stderr.contains("Cannot find device")
        case .deleteRoute:
            return stderr.contains("No such process") || stderr.contains("Cannot find device")
                || stderr.contains("FIB table does not exist")
        case .deleteRule:
            return stderr.contains("No such file or directory")
        case .setLink, .releaseLink, .moveLink, .addAddress, .replaceRoute:
            return false
        }
    }

    /// Deletions (which tolerate "not found").
    package var isRemoval: Bool {
        switch self {
        case .deleteLink, .deleteAddress, .deleteRoute, .deleteRule: return true
        default: return false
        }
    }

    private static func routeWords(_ route: Route, writing: Bool) -> [String] {
        var words: [String] = []
        if route.type != .unicast { words.append(route.type.rawValue) }
        words.append(route.destination)
        if let via = route.via { words += ["via", via] }
        if let device = route.device { words += ["dev", device] }
        if let table = route.table { words += ["table", table] }
        if let metric = route.metric { words += ["metric", String(metric)] }
        if writing {
            if let source = route.source { words += ["src", source] }
            if let proto = route.proto { words += ["proto", proto] }
            if let mtu = route.mtu { words += ["mtu", String(mtu)] }
        }
        return words
    }

    private static func ruleWords(_ rule: PolicyRule) -> [String] {
        var words: [String] = []
        if let priority = rule.priority { words += ["priority", String(priority)] }
        words += ["from", rule.from ?? "all"]
        if let to = rule.to { words += ["to", to] }
        if let fwmark = rule.fwmark { words += ["fwmark", fwmark] }
        if let iif = rule.inputInterface { words += ["iif", iif] }
        if let oif = rule.outputInterface { words += ["oif", oif] }
        if let table = rule.table { words += ["lookup", table] }
        if let action = rule.action { words.append(action) }
        return words
    }
}
