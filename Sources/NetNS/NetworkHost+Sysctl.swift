extension NetworkHost {
    /// Writes inside the namespace (`ip netns exec NS sysctl -qw k=v`): net.* sysctls are per
    /// namespace, and an exec is the only way short of setns on a dedicated thread.
    package func setSysctl(_ key: String, _ value: String, in namespace: String) async throws {
        try await setSysctls([(key, value)], in: namespace)
    }

    /// Several settings in one exec, applied in order (e.g. disable_ipv6=0 before forwarding=1).
    package func setSysctls(_ settings: [(key: String, value: String)], in namespace: String) async throws {
        try await runMutation(try Self.sysctlCommand(settings, in: namespace))
    }

    package func sysctl(_ key: String, in namespace: String) async throws -> String {
        try Self.validateNamespace(namespace)
        try Self.validateSysctlKey(key)
        return try await read(Command("sysctl", ["-n", key], namespace: namespace)).trimmed
    }

    package static func sysctlCommand(_ settings: [(key: String, value: String)], in namespace: String) throws -> Command {
        try validateNamespace(namespace)
        for (key, value) in settings {
            try validateSysctlKey(key)
            guard !value.isEmpty, !value.contains(where: { $0.isWhitespace || $0 == "=" }) else {
                throw NetNSError.invalidArgument("sysctl value for \(key)")
            }
        }
        return Command("sysctl", ["-qw"] + settings.map { "\($0.key)=\($0.value)" }, namespace: namespace)
    }

    private static func validateSysctlKey(_ key: String) throws {
        let allowed = key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-/".contains($0)) }
        guard !key.isEmpty, allowed, !key.hasPrefix("-"), !key.contains("..") else {
            throw NetNSError.invalidArgument("sysctl key \"\(key)\"")
        }
    }
}
