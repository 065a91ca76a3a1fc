/// The seam between VICI users and charon; the agent mocks it in tests.
package protocol VICIConnection: Sendable {
    /// Sends one command and returns charon's response.
    /// Throws `VICIError.commandFailed` when the response says `success = no`.
    /// Cancelling the calling task stops the wait with `CancellationError`; charon still runs the command.
    func request(_ command: String, _ message: VICIMessage) async throws -> VICIMessage

    /// Registers `event`, sends the command, collects the `event` messages charon streams until the
    /// command's response, then unregisters (e.g. `list-sas` -> `list-sa`, `list-conns` -> `list-conn`,
    /// `initiate` -> `control-log`). Throws `VICIError.commandFailed` when the response says `success = no`.
    func streamedRequest(_ command: String, event: String, _ message: VICIMessage) async throws -> [VICIMessage]
}

extension VICIConnection {
    package func request(_ command: String) async throws -> VICIMessage {
        try await request(command, VICIMessage())
    }
}
