/// Fake runner for unit tests of callers: records every command and answers from a script.
///
/// Non-zero scripted results are thrown as `commandFailed` unless the command tolerates failure,
/// exactly like `SubprocessRunner`, so callers' error paths are exercised realistically.
package actor RecordingRunner: CommandRunner {
    package typealias Matcher = @Sendable (Command) -> Bool

    private struct Rule {
        var matcher: Matcher
        var result: CommandResult
        var remaining: Int?
    }

    package private(set) var commands: [Command] = []
    private var rules: [Rule] = []
    private let fallback: CommandResult

    package init(fallback: CommandResult = CommandResult()) {
        self.fallback = fallback
    }

    /// Later stubs win over earlier ones; `times` limits how often a stub answers (nil = forever).
    package func stub(_ result: CommandResult, times: Int? = nil, when matcher: @escaping Matcher) {
        rules.insert(Rule(matcher: matcher, result: result, remaining: times), at: 0)
    }

    /// Stub commands whose argv (after namespace wrapping) contains `words` as a contiguous run.
    package func stub(_ result: CommandResult, times: Int? = nil, containing words: [String]) {
        stub(result, times: times) { command in
            let argv = command.argv
            guard words.count <= argv.count else { return false }
            if words.isEmpty { return true }
            return (0...(argv.count - words.count)).contains { Array(argv[$0..<($0 + words.count)]) == words }
        }
    }

    package func reset() {
        commands = []
        rules = []
    }

    package func run(_ command: Command) async throws -> CommandResult {
        commands.append(command)
        var result = fallback
        if let index = rules.firstIndex(where: { $0.matcher(command) }) {
            result = rules[index].result
            if let remaining = rules[index].remaining {
                if remaining <= 1 { rules.remove(at: index) } else { rules[index].remaining = remaining - 1 }
            }
        }
        if !result.succeeded && !command.toleratesFailure {
            throw NetNSError.commandFailed(command, status: result.status, stderr: result.standardError)
        }
        return result
    }
}
