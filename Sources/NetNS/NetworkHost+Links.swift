extension NetworkHost {
    package func links(in namespace: String?) async throws -> [Link] {
        try IPJSON.links(try await read(Self.ipCommand(["link", "show"], in: namespace, json: true, details: true)))
    }

    package func link(_ name: String, in namespace: String?) async throws -> Link? {
        try await links(in: namespace).first { $0.name == name }
    }

    /// No-op when a link of that name exists (of whatever kind: check `links` if that matters).
    package func addBridge(_ name: String, in namespace: String?) async throws {
        try await perform(.addBridge(name), in: namespace)
    }

    /// Creates `a` in `nsA` and its peer `b` directly in `nsB`. No-op when `a` exists.
    package func addVethPair(_ a: String, in nsA: String?, peer b: String, in nsB: String?) async throws {
        try await perform(.addVethPair(a, peer: b, peerNamespace: nsB == nsA ? nil : nsB), in: nsA)
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
