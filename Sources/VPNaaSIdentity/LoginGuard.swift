/// Brute-force protection for the `password` method, in two parts:
///
/// - Keystone's account lockout (`lockout_failure_attempts`, `lockout_duration`): after N failed passwords in a
///   row a user is locked for the duration, even with the right password; a success resets the count.
/// - A per-source throttle: each password attempt costs a deliberately slow KDF run, so a few clients sending
///   bad passwords could otherwise take every core and starve good logins (measured: 16 such clients made a good
///   login take 0.86 s instead of 0.1 s). A source address with `throttleFailures` failures (attempts in flight
///   count too) within `throttleWindow` seconds is answered 429 without running the KDF until the window passes.
///
/// State is in memory, per API process (a restart forgets it, like Keystone's cache-backed throttles).
package actor LoginGuard {
    package struct Configuration: Sendable, Equatable {
        /// Failed passwords in a row that lock a user; nil turns lockout off (Keystone's default).
        package var lockoutFailureAttempts: Int?
        /// Seconds a locked user stays locked (Keystone's default: 1800).
        package var lockoutDuration: Int64 = 1800
        /// Failures (plus attempts in flight) per source address within the window before it is throttled.
        package var throttleFailures: Int = 5
        /// Seconds a source's failures count against it.
        package var throttleWindow: Int64 = 60

        package init() {}
    }

    let configuration: Configuration
    let now: @Sendable () -> Int64
    /// How long a throttled attempt waits before its 429.
    package nonisolated let refusalDelay: Duration
    private var failuresBySource: [String: [Int64]] = [:]
    private var inFlight: [String: Int] = [:]
    private var userFailures: [String: Int] = [:]
    private var lockedUntil: [String: Int64] = [:]

    package init(_ configuration: Configuration = .init(), now: @escaping @Sendable () -> Int64, refusalDelay: Duration = .seconds(1)) {
        self.configuration = configuration
        self.now = now
        self.refusalDelay = refusalDelay
    }

    /// Lets an attempt from `source` run its KDF, or refuses it with 429 while the source is throttled.
    package func admit(source: String?) throws(KeystoneError) {
        guard let source else { return }
        let t = now()
        let recent = (failuresBySource[source] ?? []).filter { $0 > t - configuration.throttleWindow }
        failuresBySource[source] = recent.isEmpty ? nil : recent
        if recent.count + inFlight[source, default: 0] >= configuration.throttleFailures {
            let retry = max(1, (recent.first ?? t) + configuration.throttleWindow - t)
            throw KeystoneError(
                code: 429, title: "Too Many Requests",
                message: "Too many failed logins from \(source); try again in \(retry) seconds.")
        }
        inFlight[source, default: 0] += 1
    }

    /// Refuses a locked user before the KDF runs (Keystone's `AccountLocked`, a 401).
    package func checkLock(userID: String) throws(KeystoneError) {
        guard let until = lockedUntil[userID] else { return }
        if until > now() { throw KeystoneError.unauthorized("The account is locked for user: \(userID).") }
        lockedUntil[userID] = nil
        userFailures[userID] = nil
    }

    /// Records an attempt's outcome. `userID` is nil when no such user exists (it never locks anyone).
    package func finish(source: String?, userID: String?, success: Bool) {
        if let source {
            inFlight[source, default: 1] -= 1
            if inFlight[source] == 0 { inFlight[source] = nil }
            if !success { failuresBySource[source, default: []].append(now()) }
        }
        guard let userID else { return }
        if success {
            userFailures[userID] = nil
            return
        }
        guard let limit = configuration.lockoutFailureAttempts else { return }
        let count = userFailures[userID, default: 0] + 1
        userFailures[userID] = count
        if count >= limit { lockedUntil[userID] = now() + configuration.lockoutDuration }
    }
}
