import Synchronization
import Testing
import VPNaaSIdentity

/// Keystone's lockout and the per-source throttle, on an injected clock.
struct LoginGuardTests {
    final class Clock: Sendable {
        let value = Mutex<Int64>(1000)
        func advance(_ s: Int64) { value.withLock { $0 += s } }
        var now: @Sendable () -> Int64 { { [self] in value.withLock { $0 } } }
    }

    @Test func aSourceWithTooManyFailuresIsThrottledUntilTheWindowPasses() async throws {
        let clock = Clock()
        var c = LoginGuard.Configuration()
        c.throttleFailures = 3
        c.throttleWindow = 60
        let guardian = LoginGuard(c, now: clock.now)
        for _ in 0..<3 {
            try await guardian.admit(source: "192.0.2.9")
            await guardian.finish(source: "192.0.2.9", userID: nil, success: false)
        }
        await #expect(throws: KeystoneError.self) { try await guardian.admit(source: "192.0.2.9") }
        do {
            try await guardian.admit(source: "192.0.2.9")
        } catch {
            #expect(error.code == 429)
            #expect(error.message.contains("try again in 60 seconds"))
        }
        // Another source is not affected.
        try await guardian.admit(source: "192.0.2.10")
        await guardian.finish(source: "192.0.2.10", userID: "u", success: true)
        clock.advance(61)
        try await guardian.admit(source: "192.0.2.9")
    }

    @Test func attemptsInFlightCountSoAFloodCannotStartManyKDFs() async throws {
        var c = LoginGuard.Configuration()
        c.throttleFailures = 2
        let guardian = LoginGuard(c, now: Clock().now)
        try await guardian.admit(source: "a")
        try await guardian.admit(source: "a")
        await #expect(throws: KeystoneError.self) { try await guardian.admit(source: "a") }
        await guardian.finish(source: "a", userID: "u", success: true)
        try await guardian.admit(source: "a")
    }

    @Test func lockoutAfterFailuresInARowThenExpires() async throws {
        let clock = Clock()
        var c = LoginGuard.Configuration()
        c.lockoutFailureAttempts = 2
        c.lockoutDuration = 300
        c.throttleFailures = 100
        let guardian = LoginGuard(c, now: clock.now)
        await guardian.finish(source: nil, userID: "u", success: false)
        await guardian.finish(source: nil, userID: "u", success: true)
        try await guardian.checkLock(userID: "u")
        await guardian.finish(source: nil, userID: "u", success: false)
        await guardian.finish(source: nil, userID: "u", success: false)
        do {
            try await guardian.checkLock(userID: "u")
            Issue.record("not locked")
        } catch {
            #expect(error == KeystoneError.unauthorized("The account is locked for user: u."))
        }
        clock.advance(301)
        try await guardian.checkLock(userID: "u")
    }

    @Test func lockoutIsOffByDefault() async throws {
        let guardian = LoginGuard(now: Clock().now)
        for _ in 0..<50 { await guardian.finish(source: nil, userID: "u", success: false) }
        try await guardian.checkLock(userID: "u")
    }
}
