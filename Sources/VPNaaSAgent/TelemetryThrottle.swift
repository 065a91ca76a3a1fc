import Logging
import Synchronization
import VPNaaSDomain
import VPNaaSPlan

/// Sends a host's runtime picture to the server when a state, reason or selector changed, and otherwise at most
/// every `interval` (counters move on every pass while traffic flows; the server needs them fresh, not per second).
package final class TelemetryThrottle: Sendable {
    private struct Sent {
        var shape: [IPsecSiteConnection.ID: RuntimeBoard.Entry] = [:]
        var at: ContinuousClock.Instant?
        var failing = false
    }

    private let sent = Mutex(Sent())
    let interval: Duration

    package init(interval: Duration = .seconds(5)) {
        self.interval = interval
    }

    /// The entry without its moving figures (counters, ages, observation time).
    static func shape(_ entry: RuntimeBoard.Entry) -> RuntimeBoard.Entry {
        var e = entry
        e.observedAt = 0
        e.runtime.bytesIn = 0
        e.runtime.bytesOut = 0
        e.runtime.packetsIn = 0
        e.runtime.packetsOut = 0
        e.runtime.establishedSeconds = nil
        e.runtime.idleInSeconds = nil
        e.runtime.observedAt = nil
        // Derived from two whole-second clocks, it wobbles by a second between looks at the same SA.
        e.establishedAt = nil
        return e
    }

    func send(_ entries: [IPsecSiteConnection.ID: RuntimeBoard.Entry], to server: any AgentServer, logger: Logger) async {
        let shape = entries.mapValues(Self.shape)
        let due = sent.withLock { s in s.shape != shape || s.at.map { $0.duration(to: .now) >= interval } ?? true }
        guard due else { return }
        do {
            try await server.publish(entries)
            let wasFailing = sent.withLock { s in
                defer { s = Sent(shape: shape, at: .now, failing: false) }
                return s.failing
            }
            if wasFailing { logger.notice("runtime figures reach the server again") }
        } catch {
            let first = sent.withLock { s in
                defer { s.failing = true }
                return !s.failing
            }
            if first { logger.warning("runtime figures not sent; retried at the next pass", metadata: ["error": "\(error)"]) }
        }
    }
}
