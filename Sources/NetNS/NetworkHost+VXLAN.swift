#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension NetworkHost {
    /// Creates VXLAN device `name` in `namespace` (nil: the agent's own); no-op when a VXLAN of that name exists.
    package func addVXLAN(_ name: String, vni: Int, local: String, in namespace: String?) async throws {
        try Self.validate(.addVXLAN(name, vni: vni, local: local))
        if let namespace { try Self.validateNamespace(namespace) }
        let operation = IPOperation.addVXLAN(name, vni: vni, local: local)
        let command = Self.command(for: operation, in: namespace)
        let result = try await runMutation(command, tolerating: operation.tolerates)
        if result.succeeded { return }
        if try await link(name, in: namespace)?.kind != "vxlan" {
            throw NetNSError.commandFailed(command, status: result.status, stderr: result.standardError.trimmed)
        }
    }

    /// The remote endpoints of a VXLAN device's flood list (its all-zeros FDB entries).
    package func floodList(of device: String, in namespace: String?) async throws -> Set<String> {
        try Self.validateInterface(device)
        let text = try await read(Self.bridgeCommand(["-j", "fdb", "show", "dev", device], in: namespace))
        struct Entry: Decodable {
            var mac: String?
            var dst: String?
        }
        guard let entries = try? JSONDecoder().decode([Entry].self, from: Data(text.utf8)) else { return [] }
        return Set(entries.compactMap { $0.mac == "00:00:00:00:00:00" ? $0.dst : nil })
    }

    /// Adds or removes one remote endpoint of a VXLAN device's flood list (head-end replication).
    package func setFlood(_ device: String, remote: String, present: Bool, in namespace: String?) async throws {
        try Self.validateInterface(device)
        guard IPFamily.of(remote) != nil, !remote.contains("/") else { throw NetNSError.invalidArgument("vxlan remote \(remote)") }
        let verb = present ? "append" : "del"
        let command = Self.bridgeCommand(["fdb", verb, "00:00:00:00:00:00", "dev", device, "dst", remote], in: namespace)
        try await runMutation(command, tolerating: { $0.contains("File exists") || $0.contains("No such file") })
    }

    /// `bridge` (iproute2) inside a named namespace.
    static func bridgeCommand(_ words: [String], in namespace: String?) -> Command {
        Command("bridge", words, namespace: namespace)
    }
}
