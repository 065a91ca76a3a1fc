extension NetworkHost {
    /// Runs anything inside a namespace (ping, tcpdump with a count...) and returns its result
    /// whatever the exit status; only a failure to start throws.
    package func exec(_ argv: [String], in namespace: String) async throws -> CommandResult {
        guard let executable = argv.first else { throw NetNSError.invalidArgument("empty argv") }
        try Self.validateNamespace(namespace)
        return try await runner.run(Command(executable, Array(argv.dropFirst()), namespace: namespace, toleratesFailure: true))
    }
}
