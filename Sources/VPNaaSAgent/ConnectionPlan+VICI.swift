import VICI
import VPNaaSDomain
import VPNaaSPlan

/// How a connection is expressed to charon over VICI (`load-conn` / `load-shared`), following
/// the data-plane recipe: libipsec raises no acquires, so "hold" is realised as restart with
/// endless keying tries, and the agent re-initiates what is missing (never for `clear`, see
/// `CharonFleet.shouldInitiate`). IKEv1 gets one CHILD_SA per selector pair (`children`).
extension ConnectionPlan {
    package var sharedSecretID: String { "psk-\(connection.id)" }

    var startAction: String {
        connection.initiator == .biDirectional && !defersInitiation ? "trap|start" : "trap"
    }

    var dpdAction: String {
        switch connection.dpd.action {
        case .hold, .restart: defersInitiation ? "clear" : "restart"
        case .clear, .restartByPeer: "clear"
        case .disabled: "none"
        }
    }

    /// IKEv1 cannot untangle two ends negotiating at once: each end adopts the CHILD_SAs into the
    /// ISAKMP SA that completed last on *its* side, the two ends then keep different ones and every
    /// Quick Mode fails ("invalid HASH_V1 payload length"). So of two IKEv1 ends the one with the
    /// higher address does not start at load and does not let charon restart after DPD: it waits
    /// `CharonFleet.deferral` for the peer first (then initiates, for a peer that never would).
    /// The other end of an IKEv1 connection defers to this one (this end has the lower address): until it was
    /// up once, this end is the only one initiating.
    package var peerDefers: Bool {
        guard ikeVersion == .v1, let mine = localAddress.flatMap({ IPAddress($0) }), let peer = IPAddress(connection.peerAddress)
        else { return false }
        return mine < peer
    }

    package var defersInitiation: Bool {
        guard ikeVersion == .v1, let mine = localAddress.flatMap({ IPAddress($0) }), let peer = IPAddress(connection.peerAddress)
        else { return false }
        return mine > peer
    }

    /// The `load-conn` message. Secrets are not part of it.
    package var loadConnMessage: VICIMessage {
        var ike = VICIMessage()
        ike["version"] = .string(ikeVersion == .v1 ? "1" : "2")
        if let localAddress { ike["local_addrs"] = .strings([localAddress]) }
        ike["remote_addrs"] = .strings([connection.peerAddress])
        ike["proposals"] = .strings([ikeProposal])
        if ikeVersion == .v1 { ike["aggressive"] = .string(aggressive ? "yes" : "no") }
        ike["rekey_time"] = .string("\(ikeLifetime)s")
        // MOBIKE off: routers keep their addresses, and DPD then runs as a plain liveness check.
        ike["mobike"] = "no"
        ike["keyingtries"] = "0"
        if connection.dpd.action == .disabled {
            ike["dpd_delay"] = "0"
        } else {
            ike["dpd_delay"] = .string("\(connection.dpd.interval)s")
            ike["dpd_timeout"] = .string("\(connection.dpd.timeout)s")
        }
        ike["local-1"] = ["auth": "psk", "id": .string(localID)]
        ike["remote-1"] = ["auth": "psk", "id": .string(peerID)]
        var children = VICIMessage()
        for plan in self.children {
            var child = VICIMessage()
            child["mode"] = .string(mode.rawValue)
            child["local_ts"] = .strings(plan.localTS.map(\.description))
            child["remote_ts"] = .strings(plan.remoteTS.map(\.description))
            child[childProtocol == "ah" ? "ah_proposals" : "esp_proposals"] = .strings([childProposal])
            child["rekey_time"] = .string("\(childLifetime)s")
            child["dpd_action"] = .string(dpdAction)
            child["start_action"] = .string(startAction)
            child["close_action"] = "none"
            children[plan.name] = .section(child)
        }
        ike["children"] = .section(children)
        return [viciName: .section(ike)]
    }

    /// The `load-shared` message: carries the PSK, so it is never logged.
    package var loadSharedMessage: VICIMessage {
        [
            "id": .string(sharedSecretID), "type": "IKE", "data": .string(psk),
            "owners": .strings([localID, peerID]),
        ]
    }
}
