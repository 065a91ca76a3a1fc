import Synchronization

/// Why the next pass runs, beyond "something woke it", so that a pass costs in proportion to what changed:
/// the desired state is fetched again only when the server announced a change since the last fetch (a timer or
/// an IKE event changes nothing on the server), and every router's charon is looked at only when a timer asked
/// for a sweep (a write or an IKE event concerns the routers whose plan changed or whose charon spoke).
final class PassTriggers: Sendable {
    struct Due: Equatable {
        /// The server announced a change: fetch the desired state.
        var fetch: Bool
        /// A timer fell due (resync, DPD deadline, retry backoff): look at every router.
        var sweep: Bool
    }

    /// Both start set: the first pass fetches and looks at everything.
    private let due = Mutex(Due(fetch: true, sweep: true))

    func announce() { due.withLock { $0.fetch = true } }

    func sweepDue() { due.withLock { $0.sweep = true } }

    /// What is due, cleared (a change announced while the pass runs is due for the next one).
    func take() -> Due {
        due.withLock { d in
            defer { d = Due(fetch: false, sweep: false) }
            return d
        }
    }

    /// A pass that failed: the next one fetches and looks at everything again.
    func retryAll() { due.withLock { $0 = Due(fetch: true, sweep: true) } }
}
