import Foundation
import VICI
import VPNaaSDomain
import VPNaaSPlan

/// Turns charon's VICI events (`ike-updown`, `child-updown`, `ike-rekey`, `child-rekey` and the `log` stream)
/// into per-connection signals: ups, downs, rekeys and failures with a reason. Pure and stateful per charon:
/// it remembers which IKE_SAs were established (a peer that stops answering then is dead, not unreachable)
/// and the remote address of IKE_SAs that have no connection yet (a responder that finds no matching peer
/// config never names one), so such failures still reach the connection to that peer.
package struct IKEEventInterpreter: Sendable {
    /// Peer address → connections (VICI names) of this charon, kept current by the fleet.
    package var peers: [String: [String]] = [:]
    private var established: Set<String> = []
    private var remoteOfUnnamed: [String: String] = [:]

    package init(peers: [String: [String]] = [:]) { self.peers = peers }

    package mutating func interpret(_ event: VICIEvent) -> [IKESignal] {
        switch event.name {
        case "ike-updown": return updown(event.message, child: false)
        case "child-updown": return updown(event.message, child: true)
        case "ike-rekey": return sections(event.message).map { .ikeRekeyed(connection: $0.name) }
        case "child-rekey": return sections(event.message).map { .childRekeyed(connection: $0.name) }
        case "log": return log(event.message)
        default: return []
        }
    }

    private func sections(_ message: VICIMessage) -> [(name: String, sa: VICIMessage)] {
        message.entries.compactMap { key, value in value.sectionValue.map { (key, $0) } }
    }

    private mutating func updown(_ message: VICIMessage, child: Bool) -> [IKESignal] {
        let up = message.flag("up")
        return sections(message).map { name, sa in
            if let id = sa.string("uniqueid"), !child {
                if up { established.insert(id) } else { established.remove(id) }
            }
            switch (child, up) {
            case (false, true): return .ikeUp(connection: name)
            case (false, false): return .ikeDown(connection: name)
            case (true, true): return .childUp(connection: name)
            case (true, false): return .childDown(connection: name)
            }
        }
    }

    private mutating func log(_ message: VICIMessage) -> [IKESignal] {
        guard let text = message.string("msg") else { return [] }
        let uniqueID = message.string("ikesa-uniqueid")
        let name = message.string("ikesa-name")
        let known = Set(peers.values.flatMap { $0 })
        if let uniqueID, name.map({ !known.contains($0) }) ?? true, let remote = Self.remoteAddress(text) {
            remoteOfUnnamed[uniqueID] = remote
        }
        guard let (reason, sentence) = Self.classify(text, wasEstablished: uniqueID.map(established.contains) ?? false) else {
            return []
        }
        var targets: [String] = []
        if let name, known.contains(name) {
            targets = [name]
        } else if let uniqueID, let remote = remoteOfUnnamed[uniqueID] {
            targets = peers[remote] ?? []
        }
        return targets.map { .failure(connection: $0, reason, sentence) }
    }

    /// The reason and the tenant's sentence for one charon log line (level ≤ 1), or nil when it says nothing
    /// about why a tunnel is not up. Matches charon 5.9's wording; charon's own words are appended.
    package static func classify(_ text: String, wasEstablished: Bool) -> (FailureReason, String)? {
        // Searched on UTF-8 bytes: Foundation's `contains` goes through NSString, and charon logs a few lines per
        // DPD exchange on every tunnel (this was 8 % of an idle agent with 1000 tunnels).
        let lower = text.lowercased()
        let t = Array(lower.utf8)
        func has(_ needle: String) -> Bool { t.firstRange(of: Array(needle.utf8)) != nil }
        func say(_ reason: FailureReason, _ sentence: String) -> (FailureReason, String) {
            (reason, "\(sentence) (charon: \(text))")
        }
        if has("mac mismatched") || has("decryption failed") || has("invalid hash_v1 payload") {
            return say(.authenticationFailed, "authentication failed: the peer's pre-shared key differs from this connection's")
        }
        if has("authentication_failed") {
            return say(.authenticationFailed, "authentication failed: the peer rejected this side's pre-shared key or identity")
        }
        if has("no_proposal_chosen") || has("no acceptable proposal found") {
            return say(.noProposalChosen, "no proposal chosen: the peer accepts none of this connection's IKE/IPsec policy algorithms")
        }
        if has("ts_unacceptable") || has("no acceptable traffic selectors")
            || (has("traffic selectors") && has("unacceptable")) {
            return say(.tsUnacceptable, "traffic selectors unacceptable: the local and peer subnets of both sides do not mirror each other")
        }
        if has("no matching peer config found") || has("constraint check failed: identity") || has("invalid_id_information") {
            return say(.peerIDMismatch, "identity mismatch: the peer's identity does not match this connection's peer_id (or it expects another local_id)")
        }
        if has("giving up after") && has("retransmit") {
            return wasEstablished
                ? say(.deadPeer, "dead peer: the established tunnel's peer stopped answering")
                : say(.peerUnreachable, "peer unreachable: no answer from the peer to IKE requests")
        }
        if has("peer not responding") {
            return say(.peerUnreachable, "peer unreachable: no answer from the peer to IKE requests")
        }
        // "retransmit 1 of request with message ID 0" (IKEv2), "sending retransmit 1 of request message ID 0, seq 1"
        // (IKEv1): the first request of an IKE_SA went unanswered for a whole retransmit timeout.
        if has("retransmit "), let attempt = number(after: "retransmit ", in: lower), let messageID = number(after: "message id ", in: lower),
            attempt >= 1,
            messageID == 0, !wasEstablished
        {
            return say(.peerUnreachable, "peer unreachable: no answer from the peer to the IKE_SA setup after \(attempt) retransmit(s)")
        }
        return nil
    }

    static func number(after marker: String, in text: String) -> Int? {
        guard let range = text.range(of: marker) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// The remote address in "received packet: from A[500] to B[500]" or "looking for peer configs matching
    /// L[id]...R[id]".
    static func remoteAddress(_ text: String) -> String? {
        if let range = text.range(of: "received packet: from ") {
            return String(text[range.upperBound...].prefix { $0 != "[" })
        }
        if let range = text.range(of: "looking for peer configs matching "), let dots = text.range(of: "...", range: range.upperBound..<text.endIndex) {
            return String(text[dots.upperBound...].prefix { $0 != "[" })
        }
        return nil
    }
}
