import VPNaaSDomain
import VPNaaSPlan

/// Each connection's own DPD timeout (IKEv2's is daemon-wide in charon: the retransmission
/// schedule, ~120 s). A peer is declared dead once a liveness check on an established IKE_SA has
/// gone unanswered for the connection's `dpd.timeout`.
///
/// charon starts the check `dpd.interval` after the last inbound packet; the agent only sees it
/// at its next look. So the check is timed from the agent's last look *without* a check on that
/// SA (it cannot have started earlier), and the fleet asks for a pass exactly at the deadline:
/// a peer that stops answering is DOWN within `interval + timeout` of its last packet (plus
/// charon's one-second clock granularity), and gets at least `timeout` minus one agent pass to
/// answer. Timers are kept per router: IKE_SA unique ids are per charon, and one router's pass
/// must not reset another router's timers.
package struct DPDTimers: Sendable {
    struct Timer: Sendable {
        var start: ContinuousClock.Instant
        var deadline: ContinuousClock.Instant
    }

    /// Router id → IKE_SA unique id → the running check's timer.
    private var running: [String: [String: Timer]] = [:]
    /// Router id → IKE_SA unique id → the last look at which no check was running on it.
    private var quiet: [String: [String: ContinuousClock.Instant]] = [:]

    package init() {}

    /// The established IKE_SAs of `router` whose peer is to be declared dead now, with their connection.
    package mutating func expired(router: String, sas: [IKESASnapshot], plans: [ConnectionPlan], now: ContinuousClock.Instant)
        -> [(IKESASnapshot, ConnectionPlan)]
    {
        var timers: [String: Timer] = [:]
        var calm: [String: ContinuousClock.Instant] = [:]
        let known = running[router] ?? [:]
        let lastQuiet = quiet[router] ?? [:]
        var dead: [(IKESASnapshot, ConnectionPlan)] = []
        for plan in plans where plan.connection.dpd.action != .disabled {
            for sa in sas where sa.connection == plan.viciName && sa.isEstablished {
                guard sa.dpdRunning else {
                    calm[sa.uniqueID] = now
                    continue
                }
                let start = known[sa.uniqueID]?.start ?? lastQuiet[sa.uniqueID] ?? now
                let deadline = start.advanced(by: .seconds(plan.connection.dpd.timeout))
                if now >= deadline {
                    dead.append((sa, plan))
                } else {
                    timers[sa.uniqueID] = Timer(start: start, deadline: deadline)
                }
            }
        }
        running[router] = timers.isEmpty ? nil : timers
        quiet[router] = calm.isEmpty ? nil : calm
        return dead
    }

    /// When the earliest running check times out.
    package var nextDeadline: ContinuousClock.Instant? {
        running.values.flatMap(\.values).map(\.deadline).min()
    }

    /// A liveness check is running on one of the router's IKE_SAs (its timer needs a look on every sweep).
    package func isRunning(router: String) -> Bool { running[router] != nil }

    package mutating func forget(router: String) {
        running[router] = nil
        quiet[router] = nil
    }
}

extension IKESASnapshot {
    /// A liveness check is under way (DPD runs as IKE_DPD, or IKE_MOBIKE with MOBIKE on).
    var dpdRunning: Bool { tasksActive.contains("IKE_DPD") || tasksActive.contains("IKE_MOBIKE") }
}
