import Foundation

package enum NetNSError: Error, Equatable, CustomStringConvertible {
    /// Non-zero exit. `status` is the exit code, or 128+signal when killed by a signal.
    case commandFailed(Command, status: Int32, stderr: String)
    /// The process could not be started (executable missing, spawn error).
    case launchFailed(Command, reason: String)
    /// Killed after running longer than its time limit (a wedged netlink or nft call must not stall
    /// the agent's reconcile loop forever).
    case timedOut(Command, after: Duration)
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
        case .timedOut(let command, let limit):
            return "timed out after \(limit): \(command)"
        case .parse(let what, let reason):
            return "cannot parse \(what): \(reason)"
        case .invalidArgument(let reason):
            return "invalid argument: \(reason)"
        }
    }
}
