/// One entry of a site connection's event log (`GET …/ipsec-site-connections/{id}/events`): what happened to
/// its tunnel and when, so a tenant sees the history behind a status (flapping, rekeys, the first failure).
package struct ConnectionEvent: Codable, Sendable, Equatable {
    package enum Kind: String, Codable, Sendable, CaseIterable {
        /// The connection became ACTIVE (IKE_SA established with an installed CHILD_SA).
        case up
        /// It stopped being ACTIVE.
        case down
        case ikeUp = "ike_up"
        case ikeDown = "ike_down"
        case childUp = "child_up"
        case childDown = "child_down"
        case ikeRekey = "ike_rekey"
        case childRekey = "child_rekey"
        /// Dead peer detection declared the peer dead.
        case deadPeer = "dead_peer"
        /// The agent (re)loaded the connection's configuration into charon.
        case configApplied = "config_applied"
        /// A failure with a reason (the first of its kind in a row; repeats are not logged again).
        case failure
    }

    package var id: String
    package var connectionID: IPsecSiteConnection.ID
    /// Unix time in milliseconds.
    package var time: Int64
    package var kind: Kind
    package var ikeState: String?
    package var childState: String?
    package var failureReason: FailureReason?
    package var message: String

    package init(
        id: String, connectionID: IPsecSiteConnection.ID, time: Int64, kind: Kind, ikeState: String? = nil,
        childState: String? = nil, failureReason: FailureReason? = nil, message: String
    ) {
        self.id = id
        self.connectionID = connectionID
        self.time = time
        self.kind = kind
        self.ikeState = ikeState
        self.childState = childState
        self.failureReason = failureReason
        self.message = message
    }
}
