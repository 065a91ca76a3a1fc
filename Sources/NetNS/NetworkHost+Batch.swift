import Logging

extension NetworkHost {
    /// One `ip -batch` invocation: the family it runs with and the operations it carries.
    package struct BatchGroup: Sendable, Equatable {
        package var family: IPFamily?
        package var operations: [IPOperation]
    }

    /// Splits operations into at most three invocations — family-less (links, addresses) first, then
    /// IPv4, then IPv6 routes/rules — because `ip -batch` takes `-4`/`-6` once per run, not per line.
    /// Order within a group is kept; links and addresses thus exist before routes that use them.
    package static func batchGroups(_ operations: [IPOperation]) -> [BatchGroup] {
        [nil, IPFamily.inet, IPFamily.inet6].compactMap { family in
            let members = operations.filter { $0.family == family }
            return members.isEmpty ? nil : BatchGroup(family: family, operations: members)
        }
    }

    /// `ip [-n NS] [-4|-6] -force -batch -` with one line per operation.
    package static func batchCommand(_ group: BatchGroup, in namespace: String?) -> Command {
        var command = ipCommand(["-force", "-batch", "-"], in: namespace, family: group.family)
        command.input = group.operations.map { $0.arguments.joined(separator: " ") + "\n" }.joined()
        command.toleratesFailure = true
        return command
    }

    /// Applies many operations with a few execs (a router's whole setup is ~3). `-force` keeps going
    /// after a failing line so that tolerated "already exists"/"not found" lines do not stop the rest;
    /// any other failure is thrown after the batch ran, naming the failing lines.
    package func batch(_ operations: [IPOperation], in namespace: String?) async throws {
        if let namespace { try Self.validateNamespace(namespace) }
        for operation in operations {
            try Self.validate(operation)
            // Batch lines are split on whitespace; a word containing some would change the meaning.
            if operation.arguments.contains(where: { $0.isEmpty || $0.contains(where: \.isWhitespace) }) {
                throw NetNSError.invalidArgument("whitespace in \(operation.arguments.joined(separator: " "))")
            }
        }
        for group in Self.batchGroups(operations) {
            let command = Self.batchCommand(group, in: namespace)
            logger.debug("netns: batch", metadata: [
                "command": "\(command)", "lines": "\(group.operations.map { $0.arguments.joined(separator: " ") })",
            ])
            let result = try await runner.run(command)
            if result.succeeded { continue }
            let failures = Self.batchFailures(result.standardError)
            let fatal = failures.filter { line, message in
                !(1...group.operations.count).contains(line) || !group.operations[line - 1].tolerates(message)
            }
            if failures.isEmpty || !fatal.isEmpty {
                let detail = failures.isEmpty
                    ? result.standardError
                    : fatal.map { line, message in
                        let text = (1...group.operations.count).contains(line)
                            ? group.operations[line - 1].arguments.joined(separator: " ") : "?"
                        return "line \(line) (\(text)): \(message)"
                    }.joined(separator: "\n")
                throw NetNSError.commandFailed(command, status: result.status, stderr: detail)
            }
            logger.debug("netns: batch lines already in desired state", metadata: ["lines": "\(failures.map(\.line))"])
        }
    }

    /// Pairs each "Command failed -:N" with the error text printed before it (iproute2 6.1 format).
    package static func batchFailures(_ stderr: String) -> [(line: Int, message: String)] {
        var failures: [(line: Int, message: String)] = []
        var pending: [String] = []
        let marker = "Command failed -:"
        for raw in stderr.split(separator: "\n", omittingEmptySubsequences: true) {
            let text = String(raw)
            if text.hasPrefix(marker), let line = Int(String(text.dropFirst(marker.count)).trimmed) {
                failures.append((line, pending.joined(separator: "; ")))
                pending = []
            } else {
                pending.append(text)
            }
        }
        return failures
    }
}
