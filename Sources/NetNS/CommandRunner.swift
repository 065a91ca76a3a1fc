/// The one I/O seam of this module.
package protocol CommandRunner: Sendable {
    /// Runs the command; throws `NetNSError.commandFailed` on a non-zero exit unless
    /// `command.toleratesFailure`, and `NetNSError.launchFailed` when it cannot start at all.
    func run(_ command: Command) async throws -> CommandResult
}
