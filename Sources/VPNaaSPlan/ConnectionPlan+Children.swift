import VPNaaSDomain

/// One (local subnet, peer CIDR) pair a connection must carry: the unit status is judged by.
package struct SelectorPair: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    package var local: CIDR
    package var remote: CIDR

    package var description: String { "\(local) === \(remote)" }
}

/// One CHILD_SA a connection asks charon for. IKEv2 negotiates every selector pair in one
/// CHILD_SA; IKEv1 (Quick Mode) carries exactly one local and one remote selector per CHILD_SA,
/// so a multi-subnet IKEv1 connection needs one CHILD_SA per pair — with a single one, charon
/// narrows to the first pair and the others' traffic is silently lost (issue #17).
package struct ChildPlan: Sendable, Equatable {
    /// `<connection id>` for a single CHILD_SA, `<connection id>-<n>` (n from 1) for IKEv1 pairs:
    /// status groups children by the connection's plan, not by parsing names.
    package var name: String
    package var localTS: [CIDR]
    package var remoteTS: [CIDR]

    /// The selector pairs this CHILD_SA carries.
    package var pairs: [SelectorPair] {
        localTS.flatMap { l in remoteTS.map { SelectorPair(local: l, remote: $0) } }
    }
}

extension ConnectionPlan {
    /// The connection's name in charon (and its children's prefix): its id.
    package var viciName: String { connection.id }

    /// Every (local, peer) pair of the connection; both sides have one IP version (rules V7/V8).
    package var selectorPairs: [SelectorPair] {
        localTS.flatMap { l in remoteTS.filter { $0.version == l.version }.map { SelectorPair(local: l, remote: $0) } }
    }

    /// The CHILD_SAs to load: one with all selectors (IKEv2, or a single pair), else one per pair.
    package var children: [ChildPlan] {
        let pairs = selectorPairs
        if ikeVersion == .v2 || pairs.count <= 1 {
            return [ChildPlan(name: viciName, localTS: localTS, remoteTS: remoteTS)]
        }
        return pairs.enumerated().map { i, pair in
            ChildPlan(name: "\(viciName)-\(i + 1)", localTS: [pair.local], remoteTS: [pair.remote])
        }
    }
}
