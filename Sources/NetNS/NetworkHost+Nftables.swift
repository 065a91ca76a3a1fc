extension NetworkHost {
    /// Replaces the whole table atomically: one `nft -f -` transaction that creates it if missing,
    /// deletes it and defines it anew, so packets never see a half-written or empty ruleset and
    /// repeating it is harmless. `body` is the inside of `table FAMILY NAME { ... }`.
    package func replaceNftTable(family: String, name: String, body: String, in namespace: String) async throws {
        try await runMutation(try Self.nftReplaceCommand(family: family, name: name, body: body, in: namespace))
    }

    /// No-op when the table does not exist.
    package func deleteNftTable(family: String, name: String, in namespace: String) async throws {
        try await runMutation(try Self.nftDeleteCommand(family: family, name: name, in: namespace))
    }

    /// `nft list table`, or nil when the table does not exist.
    package func nftTable(family: String, name: String, in namespace: String) async throws -> String? {
        try Self.validateNftIdentifiers(family: family, name: name)
        try Self.validateNamespace(namespace)
        let result = try await runner.run(
            Command("nft", ["list", "table", family, name], namespace: namespace, toleratesFailure: true))
        if result.succeeded { return result.standardOutput }
        if result.standardError.contains("No such file or directory") { return nil }
        throw NetNSError.commandFailed(
            Command("nft", ["list", "table", family, name], namespace: namespace), status: result.status,
            stderr: result.standardError)
    }

    package static func nftReplaceScript(family: String, name: String, body: String) -> String {
        """
        table \(family) \(name) {}
        delete table \(family) \(name)
        table \(family) \(name) {
        \(body)
        }

        """
    }

    package static func nftReplaceCommand(family: String, name: String, body: String, in namespace: String) throws -> Command {
        try validateNftIdentifiers(family: family, name: name)
        try validateNamespace(namespace)
        return Command("nft", ["-f", "-"], namespace: namespace, input: nftReplaceScript(family: family, name: name, body: body))
    }

    package static func nftDeleteCommand(family: String, name: String, in namespace: String) throws -> Command {
        try validateNftIdentifiers(family: family, name: name)
        try validateNamespace(namespace)
        return Command("nft", ["-f", "-"], namespace: namespace, input: "table \(family) \(name) {}\ndelete table \(family) \(name)\n")
    }

    private static func validateNftIdentifiers(family: String, name: String) throws {
        guard ["ip", "ip6", "inet", "arp", "bridge", "netdev"].contains(family) else {
            throw NetNSError.invalidArgument("nft family \"\(family)\"")
        }
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-".contains($0)) }
        guard !name.isEmpty, allowed, name.first?.isLetter == true else {
            throw NetNSError.invalidArgument("nft table name \"\(name)\"")
        }
    }
}
