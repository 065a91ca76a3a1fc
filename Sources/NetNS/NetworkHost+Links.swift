extension NetworkHost {
    package func links(in namespace: String?) async throws -> [Link] {
        try IPJSON.links(try await read(Self.ipCommand(["link", "show"], in: namespace, json: true, details: true)))
    }

    /// One link by name (`ip link show dev NAME`: the cost does not grow with the namespace's other links — the
    /// agent's own namespace holds a veth peer per router port); nil when there is none.
    package func link(_ name: String, in namespace: String?) async throws -> Link? {
        try Self.validateInterface(name)
        var command = Self.ipCommand(["link", "show", "dev", name], in: namespace, json: true, details: true)
        command.toleratesFailure = true
        let result = try await runner.run(command)
        guard result.succeeded else {
            if result.standardError.contains("does not exist") { return nil }
            throw NetNSError.commandFailed(command, status: result.status, stderr: result.standardError)
        }
        return try IPJSON.links(result.standardOutput).first { $0.name == name }
    }

    /// No-op when a bridge of that name exists; a non-bridge link of that name is an error.
    package func addBridge(_ name: String, in namespace: String?) async throws {
        try await addLink(.addBridge(name), name: name, kind: "bridge", in: namespace)
    }

    /// Creates `a` in `nsA` and its peer `b` directly in `nsB` (nil: the agent's own namespace). No-op
    /// when veth `a` exists in `nsA`. EEXIST is also the answer when only `b` exists (a leftover); that is
    /// an error here.
    ///
    /// `ip link add … peer name B` without `netns` leaves B where the command runs, and `ip -n NS` runs
    /// inside NS, so "peer in the agent's namespace" cannot be said from inside the router's namespace.
    /// That pair is therefore created from the agent's namespace with the roles swapped: `b` here, `a`
    /// sent to `nsA`.
    package func addVethPair(_ a: String, in nsA: String?, peer b: String, in nsB: String?) async throws {
        try await addLink(Self.vethCreation(a, in: nsA, peer: b, in: nsB), name: a, kind: "veth", in: nsA)
    }

    /// The operation and the namespace it runs in that put `a` in `nsA` and `b` in `nsB`.
    package static func vethCreation(_ a: String, in nsA: String?, peer b: String, in nsB: String?) -> (IPOperation, String?) {
        if nsA == nsB { return (.addVethPair(a, peer: b, peerNamespace: nil), nsA) }
        if let nsB { return (.addVethPair(a, peer: b, peerNamespace: nsB), nsA) }
        return (.addVethPair(b, peer: a, peerNamespace: nsA), nil)
    }

    /// "File exists" is only trusted after checking that `name` in `namespace` is the kind asked for.
    private func addLink(_ operation: IPOperation, name: String, kind: String, in namespace: String?) async throws {
        try await addLink((operation, namespace), name: name, kind: kind, in: namespace)
    }

    /// `creation` runs in its own namespace; the check after EEXIST looks at `name` in `namespace`.
    private func addLink(_ creation: (IPOperation, String?), name: String, kind: String, in namespace: String?) async throws {
        let (operation, runsIn) = creation
        try Self.validate(operation)
        if let runsIn { try Self.validateNamespace(runsIn) }
        let command = Self.command(for: operation, in: runsIn)
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
