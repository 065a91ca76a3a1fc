extension NetworkHost {
    package func links(in namespace: String?) async throws -> [Link] {
        try IPJSON.links(try await read(Self.ipCommand(["link", "show"], in: namespace, json: true, details: true)))
    }

    package func link(_ name: String, in namespace: String?) async throws -> Link? {
        try await links(in: namespace).first { $0.name == name }
    }

    /// No-op when a bridge of that name exists; a non-bridge link of that name is an error.
    package func addBridge(_ name: String, in namespace: String?) async throws {
        try await addLink(.addBridge(name), name: name, kind: "bridge", in: namespace)
    }

    /// Creates `a` in `nsA` and its peer `b` directly in `nsB`. No-op when veth `a` exists.
    /// EEXIST is also the answer when only `b` exists in `nsB` (a leftover); that is an error here.
    package func addVethPair(_ a: String, in nsA: String?, peer b: String, in nsB: String?) async throws {
        try await addLink(.addVethPair(a, peer: b, peerNamespace: nsB == nsA ? nil : nsB), name: a, kind: "veth", in: nsA)
    }

    /// "File exists" is only trusted after checking that the existing link is the kind asked for.
    private func addLink(_ operation: IPOperation, name: String, kind: String, in namespace: String?) async throws {
        try Self.validate(operation)
        if let namespace { try Self.validateNamespace(namespace) }
        let command = Self.command(for: operation, in: namespace)
        let result = try await runMutation(command, tolerating: operation.tolerates)
        if result.succeeded { return }
        let existing = try await link(name, in: namespace)
        if existing?.kind != kind {
            throw NetNSError.commandFailed(
                command, status: result.status,
                stderr: result.standardError.trimmed + " (existing \(name): \(existing?.kind ?? "absent"), wanted \(kind))")
        }
    }

    package func setLink(_ name: String, in namespace: String?, up: Bool? = nil, master: String? = nil,
                         mac: String? = nil, mtu: Int? = nil) async throws {
        try await perform(.setLink(name, up: up, master: master, mac: mac, mtu: mtu), in: namespace)
    }

    package func releaseLink(_ name: String, in namespace: String?) async throws {
        try await perform(.releaseLink(name), in: namespace)
    }

    /// The link arrives down and without addresses.
    package func moveLink(_ name: String, from namespace: String?, to target: String) async throws {
        try await perform(.moveLink(name, toNamespace: target), in: namespace)
    }

    /// No-op when missing. Deleting one end of a veth deletes both.
    package func deleteLink(_ name: String, in namespace: String?) async throws {
        try await perform(.deleteLink(name), in: namespace)
    }
}
