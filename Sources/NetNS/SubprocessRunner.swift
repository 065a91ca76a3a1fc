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

    package init(outputLimit: Int = 16 << 20, searchPath: [String]? = nil) {
        self.outputLimit = outputLimit
        let fromEnvironment = (ProcessInfo.processInfo.environment["PATH"] ?? "")
            .split(separator: ":").map(String.init)
        self.searchPath = searchPath ?? (fromEnvironment + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
    }

    package func run(_ command: Command) async throws -> CommandResult {
        let argv = command.argv
        guard let path = resolve(argv[0]) else {
            throw NetNSError.launchFailed(command, reason: "\(argv[0]) not found in \(searchPath.joined(separator: ":"))")
        }
        let arguments = Arguments(Array(argv.dropFirst()))
        let result: CommandResult
        do {
            if let input = command.input {
                let r = try await Subprocess.run(
                    .path(FilePath(path)), arguments: arguments, input: .string(input),
                    output: .string(limit: outputLimit), error: .string(limit: outputLimit))
                result = CommandResult(status: Self.code(r.terminationStatus), standardOutput: r.standardOutput, standardError: r.standardError)
            } else {
                let r = try await Subprocess.run(
                    .path(FilePath(path)), arguments: arguments,
                    output: .string(limit: outputLimit), error: .string(limit: outputLimit))
                result = CommandResult(status: Self.code(r.terminationStatus), standardOutput: r.standardOutput, standardError: r.standardError)
            }
        } catch let error as SubprocessError {
            throw NetNSError.launchFailed(command, reason: "\(error)")
        }
        if !result.succeeded && !command.toleratesFailure {
            throw NetNSError.commandFailed(command, status: result.status, stderr: result.standardError)
        }
        return result
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
