extension NetworkHost {
    package func namespaces() async throws -> [String] {
        try IPJSON.namespaces(try await read(Self.ipCommand(["netns", "list"], in: nil, json: true)))
    }

    /// No-op when it exists. Also brings `lo` up: a namespace without it cannot reach its own addresses.
    package func addNamespace(_ name: String) async throws {
        try Self.validateNamespace(name)
        try await runMutation(Command("ip", ["netns", "add", name]), toleratingStderr: "File exists")
        try await perform(.setLink("lo", up: true), in: name)
    }

    /// No-op when missing. Links inside go with it (a veth's peer in another namespace too).
    /// Processes still running inside keep the namespace alive until they exit: stop them first.
    package func deleteNamespace(_ name: String) async throws {
        try Self.validateNamespace(name)
        try await runMutation(Command("ip", ["netns", "del", name]), toleratingStderr: "No such file or directory")
    }
}
