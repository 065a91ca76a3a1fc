import Logging

/// Typed network operations over a `CommandRunner`: argv building is pure (the static builders),
/// execution and tolerance of idempotent failures live here.
package struct NetworkHost: Sendable {
    package let runner: any CommandRunner
    package let logger: Logger

    package init(runner: any CommandRunner, logger: Logger) {
        self.runner = runner
        self.logger = logger
    }

    /// `ip [-n NS] [-4|-6] words...`; `-n` makes `ip` enter the namespace itself (no extra exec).
    package static func ipCommand(_ words: [String], in namespace: String?, family: IPFamily? = nil,
                                  json: Bool = false, details: Bool = false) -> Command {
        var arguments: [String] = []
        if let namespace { arguments += ["-n", namespace] }
        if let family { arguments.append(family.flag) }
        if details { arguments.append("-d") }
        if json { arguments.append("-j") }
        return Command("ip", arguments + words)
    }

    /// The exact command `perform` runs for one operation.
    package static func command(for operation: IPOperation, in namespace: String?) -> Command {
        var command = ipCommand(operation.arguments, in: namespace, family: operation.family)
        command.toleratesFailure = true
        return command
    }

    /// Runs one mutating operation, treating its specific "already so" failures as success.
    package func perform(_ operation: IPOperation, in namespace: String?) async throws {
        try Self.validate(operation)
        if let namespace { try Self.validateNamespace(namespace) }
        try await runMutation(Self.command(for: operation, in: namespace), tolerating: operation.tolerates)
    }

    /// Logs (debug) and runs a mutating command; a failure whose stderr `tolerating` accepts is success.
    @discardableResult
    package func runMutation(_ command: Command, tolerating: (String) -> Bool = { _ in false }) async throws -> CommandResult {
        var command = command
        command.toleratesFailure = true
        logger.debug("netns: run", metadata: ["command": "\(command)"])
        let result = try await runner.run(command)
        if result.succeeded { return result }
        if tolerating(result.standardError) {
            logger.debug("netns: already in desired state", metadata: [
                "command": "\(command)", "stderr": "\(result.standardError.trimmed)",
            ])
            return result
        }
        throw NetNSError.commandFailed(command, status: result.status, stderr: result.standardError)
    }

    func runMutation(_ command: Command, toleratingStderr text: String) async throws {
        try await runMutation(command) { $0.contains(text) }
    }

    /// Runs a reading command; a failure is an error.
    func read(_ command: Command) async throws -> String {
        try await runner.run(command).standardOutput
    }
}

extension String {
    var trimmed: String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        return String(text)
    }
}
