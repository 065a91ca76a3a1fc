extension NetworkHost {
    package func rules(in namespace: String?, family: IPFamily) async throws -> [PolicyRule] {
        try IPJSON.rules(try await read(Self.ipCommand(["rule", "show"], in: namespace, family: family, json: true)), family: family)
    }

    /// No-op when an identical rule exists (the kernel answers EEXIST for exact duplicates).
    package func addRule(_ rule: PolicyRule, in namespace: String?) async throws {
        try await perform(.addRule(rule), in: namespace)
    }

    /// No-op when missing.
    package func deleteRule(_ rule: PolicyRule, in namespace: String?) async throws {
        try await perform(.deleteRule(rule), in: namespace)
    }
}
