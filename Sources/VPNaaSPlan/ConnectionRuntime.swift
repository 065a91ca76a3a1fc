import VPNaaSDomain

/// What the data plane says about one connection right now: the figures of the status
/// sub-resource and of `/metrics`.
package struct ConnectionRuntime: Codable, Sendable, Equatable {
    package var status: VPNStatus
    /// IKE_SA state as charon names it (ESTABLISHED, CONNECTING…), nil when there is none.
    package var ikeState: String?
    package var childState: String?
    /// Seconds since the IKE_SA was established, as charon reports it.
    package var establishedSeconds: Int?
    package var bytesIn: UInt64 = 0
    package var bytesOut: UInt64 = 0
    package var packetsIn: UInt64 = 0
    package var packetsOut: UInt64 = 0
    /// Seconds since the last inbound packet (charon's `use-in`): what the agent's DPD watches.
    package var idleInSeconds: Int?
    package var lastError: String?
    /// The machine-readable cause beside `lastError` (nil when up, or when nothing is known yet).
    package var failureReason: FailureReason?
    /// Selector pairs without an installed CHILD_SA while others have one (a partial state).
    package var missingPairs: [SelectorPair] = []
    package var effectiveMTU: Int?
    /// When charon was asked (Unix seconds), for figures kept from an earlier look (a pass that did not look at this
    /// router again); nil: now. `establishedSeconds` and `idleInSeconds` are relative to it.
    package var observedAt: Int64?

    package init(status: VPNStatus, lastError: String? = nil, failureReason: FailureReason? = nil) {
        self.status = status
        self.lastError = lastError
        self.failureReason = failureReason
    }
}
