import Foundation

package enum NetNSError: Error, Equatable, CustomStringConvertible {
    /// Non-zero exit. `status` is the exit code, or 128+signal when killed by a signal.
    case commandFailed(Command, status: Int32, stderr: String)
    /// The process could not be started (executable missing, spawn error).
    case launchFailed(Command, reason: String)
    /// Output of a reading command did not have the expected shape.
    case parse(what: String, reason: String)
    /// Rejected before running anything (bad name, whitespace in a sysctl value, ...).
    case invalidArgument(String)

    package var description: String {
        switch self {
        case .commandFailed(let command, let status, let stderr):
            let detail = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return "command failed (exit \(status)): \(command)" + (detail.isEmpty ? "" : ": \(detail)")
        case .launchFailed(let command, let reason):
            return "could not run \(command): \(reason)"
        case .parse(let what, let reason):
            return "cannot parse \(what): \(reason)"
        case .invalidArgument(let reason):
            return "invalid argument: \(reason)"
        }
    }
}
