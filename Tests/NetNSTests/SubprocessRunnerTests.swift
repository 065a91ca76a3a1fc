import Testing
@testable import NetNS

/// Real processes, no root needed (no namespace involved).
@Suite struct SubprocessRunnerTests {
    let runner = SubprocessRunner(timeout: .seconds(10))

    @Test func capturesOutputAndStatus() async throws {
        let result = try await runner.run(Command("sh", ["-c", "echo out; echo err >&2; exit 3"], toleratesFailure: true))
        #expect(result == CommandResult(status: 3, standardOutput: "out\n", standardError: "err\n"))
    }

    @Test func nonZeroThrowsWithStderr() async throws {
        let command = Command("sh", ["-c", "echo nope >&2; exit 2"])
        await #expect(throws: NetNSError.commandFailed(command, status: 2, stderr: "nope\n")) { try await runner.run(command) }
    }

    @Test func feedsStdin() async throws {
        let result = try await runner.run(Command("cat", input: "table inet x {}\n"))
        #expect(result.standardOutput == "table inet x {}\n")
    }

    @Test func missingExecutableIsLaunchFailure() async throws {
        let error = await #expect(throws: NetNSError.self) { try await runner.run(Command("no-such-tool-xyz")) }
        guard case .launchFailed = error else {
            Issue.record("expected launchFailed, got \(String(describing: error))")
            return
        }
    }

    @Test func timeoutKillsTheChild() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        // The child would sleep 60 s; the limit must end it long before (the bound is loose for a loaded machine).
        let command = Command("sleep", ["60"], timeout: .milliseconds(200))
        await #expect(throws: NetNSError.timedOut(command, after: .milliseconds(200))) { try await runner.run(command) }
        #expect(clock.now - start < .seconds(30))
    }
}
