import Foundation
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs commands for real through swift-subprocess.
package struct SubprocessRunner: CommandRunner {
    /// Caps captured output; `ip -j route show table all` on a busy router is well below this.
    package var outputLimit: Int
    /// Searched when `executable` has no slash: the agent runs as root from a service manager whose
    /// PATH may lack the sbin directories where `ip`, `nft` and `sysctl` live.
    package var searchPath: [String]
    /// Default time limit per command; the child is killed when it is exceeded.
    package var timeout: Duration

    package init(outputLimit: Int = 16 << 20, timeout: Duration = .seconds(30), searchPath: [String]? = nil) {
        self.outputLimit = outputLimit
        self.timeout = timeout
        let fromEnvironment = (ProcessInfo.processInfo.environment["PATH"] ?? "")
            .split(separator: ":").map(String.init)
        self.searchPath = searchPath ?? (fromEnvironment + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
    }

    package func run(_ command: Command) async throws -> CommandResult {
        let limit = command.timeout ?? timeout
        // Two guards: coreutils `timeout` kills the child from a kernel timer (it holds even when this
        // process's threads are starved), and cancelling the run makes swift-subprocess tear the child
        // down, so racing it against a sleep also returns on time when the child ignores the signal.
        let clock = ContinuousClock()
        let started = clock.now
        let result = try await withThrowingTaskGroup(of: CommandResult?.self) { group in
            group.addTask { try await execute(command, limit: limit) }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else {
                throw NetNSError.timedOut(command, after: limit)
            }
            return result
        }
        if result.status == Self.killedByTimeout, clock.now - started >= limit {
            throw NetNSError.timedOut(command, after: limit)
        }
        if !result.succeeded && !command.toleratesFailure {
            throw NetNSError.commandFailed(command, status: result.status, stderr: result.standardError)
        }
        return result
    }

    /// What `timeout -s KILL` exits with when it killed the child.
    private static let killedByTimeout: Int32 = 128 + 9

    private func execute(_ command: Command, limit: Duration) async throws -> CommandResult {
        let argv = command.argv
        guard let path = resolve(argv[0]) else {
            throw NetNSError.launchFailed(command, reason: "\(argv[0]) not found in \(searchPath.joined(separator: ":"))")
        }
        var executable = path
        var rest = Array(argv.dropFirst())
        if let guardPath = resolve("timeout") {
            let ms = max(1, limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000)
            rest = ["-s", "KILL", "\(Double(ms) / 1000)s", path] + rest
            executable = guardPath
        }
        let arguments = Arguments(rest)
        let result: CommandResult
        do {
            if let input = command.input {
                let r = try await Subprocess.run(
                    .path(FilePath(executable)), arguments: arguments, input: .string(input),
                    output: .bytes(limit: outputLimit), error: .bytes(limit: outputLimit))
                result = CommandResult(status: Self.code(r.terminationStatus), standardOutput: Self.text(r.standardOutput), standardError: Self.text(r.standardError))
            } else {
                let r = try await Subprocess.run(
                    .path(FilePath(executable)), arguments: arguments,
                    output: .bytes(limit: outputLimit), error: .bytes(limit: outputLimit))
                result = CommandResult(status: Self.code(r.terminationStatus), standardOutput: Self.text(r.standardOutput), standardError: Self.text(r.standardError))
            }
        } catch let error as SubprocessError {
            throw NetNSError.launchFailed(command, reason: "\(error)")
        }
        return result
    }

    /// Output as text. Captured as bytes and decoded here in one pass: the library's own string output decodes
    /// through a generic, element-by-element path that was a third of an idle agent's CPU (`ip -j` output of a busy host).
    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    private func resolve(_ executable: String) -> String? {
        if executable.contains("/") { return executable }
        for directory in searchPath where !directory.isEmpty {
            let candidate = directory + "/" + executable
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private static func code(_ status: TerminationStatus) -> Int32 {
        switch status {
        case .exited(let code): return Int32(code)
        case .signaled(let signal): return 128 + Int32(signal)
        }
    }
}
