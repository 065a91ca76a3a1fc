/// Why a site connection is not up, machine-readable: the status sub-resource's `failure_reason` and the
/// event log's. Tenants script against these values (and operators alert on them), so they are wire values,
/// never renamed. The human sentence travels beside it as `last_error`.
package enum FailureReason: String, Codable, Sendable, CaseIterable {
    /// The pre-shared keys (or the identities they are bound to) differ.
    case authenticationFailed = "authentication_failed"
    /// No IKE or ESP proposal both sides accept: the IKE/IPsec policies do not match.
    case noProposalChosen = "no_proposal_chosen"
    /// The peer refused the traffic selectors: local and peer subnets do not mirror each other.
    case tsUnacceptable = "ts_unacceptable"
    /// The peer does not answer IKE at all.
    case peerUnreachable = "peer_unreachable"
    /// The peer presents (or expects) another identity than the connection's `peer_id`/`local_id`.
    case peerIDMismatch = "peer_id_mismatch"
    /// An established tunnel's peer stopped answering (dead peer detection).
    case deadPeer = "dead_peer"
    /// The connection or its VPN service is administratively down.
    case adminDown = "admin_down"
    /// The connection cannot be realised as configured on this host.
    case configurationError = "configuration_error"
}
