import VPNaaSPlan
import Foundation

/// What one agent created on its host, persisted in its state dir: the only things it ever removes.
/// A second vpnaasd on the same host (or an operator) may have namespaces, bridges and ports of its
/// own in the same places — even inside the shared `vpnaas-l2` / `vpnaas-pn-*` namespaces.
package struct Ownership: Sendable, Equatable, Codable {
    /// Router and probe namespaces, and shared namespaces this agent created (not found existing).
    package var namespaces: Set<String> = []
    /// Links as `namespace/name` ("" = the agent's own network namespace): bridges and veth peers.
    package var links: Set<String> = []

    package init() {}

    package static func key(_ name: String, in namespace: String?) -> String { "\(namespace ?? "")/\(name)" }

    /// (namespace, name) of a key; nil namespace = the agent's own.
    package static func split(_ key: String) -> (namespace: String?, name: String) {
        guard let slash = key.lastIndex(of: "/") else { return (nil, key) }
        let namespace = String(key[..<slash])
        return (namespace.isEmpty ? nil : namespace, String(key[key.index(after: slash)...]))
    }

    package func owns(_ name: String, in namespace: String?) -> Bool { links.contains(Self.key(name, in: namespace)) }

    /// Reads the file; the first format (a JSON array of namespace names) is still understood.
    package static func read(_ path: String?) -> Ownership {
        guard let path, let data = FileManager.default.contents(atPath: path) else { return Ownership() }
        if let current = try? JSONDecoder().decode(Ownership.self, from: data) { return current }
        var ownership = Ownership()
        ownership.namespaces = Set((try? JSONDecoder().decode([String].self, from: data)) ?? [])
        return ownership
    }

    /// Written 0600 via a temporary file and rename, so a crash never leaves half a record.
    package func write(_ path: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else { return }
        _ = rename(temporary, path)
    }
}
