import Foundation

/// Parsers for `ip -j` output (iproute2 6.1 shapes; unknown keys are ignored so newer versions parse).
package enum IPJSON {
    package static func namespaces(_ json: String) throws -> [String] {
        // `ip -j netns list` prints nothing at all when there are no namespaces.
        try decode([NamespaceEntry].self, json, what: "ip netns list").map(\.name)
    }

    package static func links(_ json: String) throws -> [Link] {
        try decode([LinkEntry].self, json, what: "ip link show").map { entry in
            Link(
                name: entry.ifname, index: entry.ifindex, kind: entry.linkinfo?.info_kind,
                mac: entry.address, mtu: entry.mtu ?? 0, isUp: entry.flags?.contains("UP") ?? false,
                operState: entry.operstate, master: entry.master, peerIndex: entry.link_index,
                peerNamespaceID: entry.link_netnsid)
        }
    }

    package static func addresses(_ json: String) throws -> [InterfaceAddress] {
        try decode([LinkEntry].self, json, what: "ip address show").flatMap { entry in
            (entry.addr_info ?? []).compactMap { info -> InterfaceAddress? in
                guard let family = IPFamily(rawValue: info.family ?? ""), let local = info.local, let length = info.prefixlen
                else { return nil }
                return InterfaceAddress(
                    device: entry.ifname, family: family, address: local, prefixLength: length, scope: info.scope,
                    isTentative: info.tentative ?? false, isNoDAD: info.nodad ?? false)
            }
        }
    }

    /// `table`: the table that was asked for. `ip route show table N` omits the "table" key, so the
    /// routes are labelled with it here; with "all" each route carries its own (none = main).
    package static func routes(_ json: String, family: IPFamily, table requested: String? = nil) throws -> [Route] {
        let implied = requested == "all" ? nil : requested
        return try decode([RouteEntry].self, json, what: "ip route show").map { entry in
            let type = RouteType(rawValue: entry.type ?? "unicast")
            // The kernel hangs IPv6 blackhole/unreachable routes on "lo"; callers never name a device for them.
            let device = (type != .unicast && entry.dev == "lo") ? nil : entry.dev
            return Route(
                entry.dst, type: type, via: entry.gateway, device: device, table: entry.table ?? implied, metric: entry.metric,
                mtu: entry.metrics?.compactMap(\.mtu).first, source: entry.prefsrc, proto: entry.protocol,
                family: family, scope: entry.scope)
        }
    }

    package static func rules(_ json: String, family: IPFamily) throws -> [PolicyRule] {
        try decode([RuleEntry].self, json, what: "ip rule show").map { entry in
            func selector(_ address: String?, _ length: Int?) -> String? {
                guard let address, address != "all" else { return nil }
                return length.map { "\(address)/\($0)" } ?? address
            }
            let fwmark = entry.fwmark.map { mark in entry.fwmask.map { "\(mark)/\($0)" } ?? mark }
            let action = entry.action.flatMap { $0 == "to_tbl" ? nil : $0 }
            return PolicyRule(
                family: family, priority: entry.priority, from: selector(entry.src, entry.srclen),
                to: selector(entry.dst, entry.dstlen), fwmark: fwmark, inputInterface: entry.iif,
                outputInterface: entry.oif, table: entry.table, action: action)
        }
    }

    private static func decode<T: Decodable>(_ type: [T].Type, _ json: String, what: String) throws -> [T] {
        // Blank output (no namespaces at all) is an empty list. Checked on the bytes: Foundation's trimming goes
        // through NSString and cost as much as the decoding.
        let bytes = Array(json.utf8)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) { return [] }
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw NetNSError.parse(what: what, reason: "\(error)")
        }
    }
}

// Field names mirror iproute2's JSON keys.
private struct NamespaceEntry: Decodable {
    var name: String
}

private struct LinkEntry: Decodable {
    struct Info: Decodable { var info_kind: String? }
    struct Address: Decodable {
        var family: String?
        var local: String?
        var prefixlen: Int?
        var scope: String?
        var tentative: Bool?
        var nodad: Bool?
    }
    var ifindex: Int
    var ifname: String
    var flags: [String]?
    var mtu: Int?
    var operstate: String?
    var master: String?
    var address: String?
    var link_index: Int?
    var link_netnsid: Int?
    var linkinfo: Info?
    var addr_info: [Address]?
}

private struct RouteEntry: Decodable {
    struct Metric: Decodable {
        var mtu: Int?
        enum CodingKeys: CodingKey { case mtu }
        init(from decoder: any Decoder) throws {
            // A locked MTU is printed as ["lock", N]; treat anything but a plain number as absent.
            mtu = try? decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Int.self, forKey: .mtu)
        }
    }
    var type: String?
    var dst: String
    var gateway: String?
    var dev: String?
    var table: String?
    var metric: Int?
    var `protocol`: String?
    var scope: String?
    var prefsrc: String?
    var metrics: [Metric]?
}

private struct RuleEntry: Decodable {
    var priority: Int?
    var src: String?
    var srclen: Int?
    var dst: String?
    var dstlen: Int?
    var fwmark: String?
    var fwmask: String?
    var iif: String?
    var oif: String?
    var table: String?
    var action: String?
}
