import Logging
import VICI
import VPNaaSDomain
import VPNaaSPlan

extension CharonFleet {
    /// Closes duplicate and half-open IKE_SAs, enforces each connection's DPD timeout, and
    /// (re-)initiates the CHILD_SAs a connection is missing when its DPD action says so (libipsec
    /// raises no acquire, so nobody else would). Returns true when it changed something.
    func tidy(_ sas: [IKESASnapshot], plans: [ConnectionPlan], client: VICIClient, router routerID: String) async throws -> Bool {
        var changed = false
        let current = now()
        for (sa, plan) in dpd.expired(router: routerID, sas: sas, plans: plans, now: current) {
            logger.notice(
                "peer dead (DPD timeout)", metadata: ["connection.id": "\(plan.id)", "action": "\(plan.connection.dpd.action.rawValue)"])
            let sentence = "dead peer: no answer to dead peer detection for more than \(plan.connection.dpd.timeout) s (dpd action \(plan.connection.dpd.action.rawValue))"
            if note(plan.viciName, .deadPeer, sentence) { record(plan.viciName, .deadPeer, reason: .deadPeer, message: sentence) }
            _ = try? await client.request("terminate", ["ike-id": .string(sa.uniqueID), "force": "yes", "timeout": "-1"])
            changed = true
        }
        // Forget unanswered attempts of this router that are gone.
        let present = Set(sas.map { routerID + "/" + $0.uniqueID })
        unansweredSince = unansweredSince.filter { !$0.key.hasPrefix(routerID + "/") || present.contains($0.key) }
        for plan in plans {
            let mine = sas.filter { $0.connection == plan.viciName }
            for sa in IKESASnapshot.redundant(mine) {
                _ = try? await client.request("terminate", ["ike-id": .string(sa.uniqueID), "force": "yes", "timeout": "-1"])
                changed = true
            }
            var live = mine.filter { $0.state != "DELETING" && $0.state != "DESTROYING" }
            // The sole IKEv1 initiator (the peer defers to it) whose attempt the peer has not answered — typically
            // sent before the peer was configured — would wait for charon's retransmits (4 s, 7 s, 13 s … apart):
            // such an attempt is restarted every second instead, so the tunnel comes up within about a second of
            // the peer's configuration. An answered negotiation is never cut; nobody else initiates, so there is no
            // simultaneous start (the IKEv1 pitfall) to fear.
            var restarted = false
            if plan.peerDefers, !everUp.contains(plan.viciName) {
                // Counted from the agent's own initiation when it made the attempt, not from the first pass that saw it.
                let lastInitiation = plan.children.compactMap { initiated[$0.name]?.at }.max()
                for sa in live where sa.isUnanswered {
                    let key = routerID + "/" + sa.uniqueID
                    let since = unansweredSince[key] ?? lastInitiation.map { min($0, current) } ?? current
                    unansweredSince[key] = since
                    guard since.duration(to: current) >= Self.soleInitiatorRetry else { continue }
                    _ = try? await client.request("terminate", ["ike-id": .string(sa.uniqueID), "force": "yes", "timeout": "-1"])
                    unansweredSince[key] = nil
                    live.removeAll { $0.uniqueID == sa.uniqueID }
                    restarted = true
                    changed = true
                }
            }
            // Up once = every CHILD_SA installed on one IKE_SA: children lost to the agent's own duplicate
            // cleanup (IKEv1 pairs split over two IKE_SAs) are initiated again.
            let established = live.filter(\.isEstablished)
            if established.contains(where: { sa in plan.children.allSatisfy { c in sa.installedChildren.contains { $0.name == c.name } } }) {
                everUp.insert(plan.viciName)
                soleRetryDue[plan.viciName] = nil
            }
            // An IKE_SA being set up brings its children with it.
            let settingUp = live.contains { !$0.isEstablished }
            for child in plan.children {
                let existing = established.flatMap(\.children).filter { $0.name == child.name }
                if existing.contains(where: { $0.state == "INSTALLED" }) {
                    initiated[child.name] = nil
                    missingSince[child.name] = nil
                    continue
                }
                let missing = missingSince[child.name] ?? current
                missingSince[child.name] = missing
                guard Self.shouldInitiate(plan, everUp: everUp.contains(plan.viciName)), !settingUp,
                    !existing.contains(where: { Self.negotiating.contains($0.state) }),
                    !plan.defersInitiation || missing.duration(to: current) >= Self.deferral
                else { continue }
                let last = initiated[child.name]
                // The sole IKEv1 initiator retries every second until the tunnel was up once (its peer waits
                // for it); everyone else backs off.
                let sole = plan.peerDefers && !everUp.contains(plan.viciName)
                let pause = sole ? Self.soleInitiatorRetry : Self.backoff(last?.attempts ?? 1)
                if !restarted, let last, last.at.duration(to: current) < pause { continue }
                _ = try? await client.request(
                    "initiate", ["child": .string(child.name), "ike": .string(plan.viciName), "timeout": "-1"])
                initiated[child.name] = (current, (last?.attempts ?? 0) + 1)
                // A pass on the dot when this attempt may be restarted, not at the next resync.
                if sole { soleRetryDue[plan.viciName] = current.advanced(by: Self.soleInitiatorRetry) }
                changed = true
            }
        }
        return changed
    }

    /// CHILD_SA states in which a negotiation is already under way.
    static let negotiating: Set<String> = ["CREATED", "INSTALLING", "UPDATING", "REKEYING", "RETRYING"]

    /// Whether the agent itself brings a missing CHILD_SA (back) up. Only bi-directional
    /// connections initiate. `hold`/`restart` (and `disabled`, which only turns DPD off)
    /// re-initiate whenever the SA is missing. `clear`/`restart-by-peer` initiate until the
    /// connection was up once (all its CHILD_SAs on one IKE_SA) since it was loaded; after that, a lost SA (DPD, the peer's DELETE)
    /// stays down until the peer initiates (on kernel XFRM a packet hitting the trap policy would
    /// also do; libipsec 5.9.8 raises no acquires, so there traffic does not).
    static func shouldInitiate(_ plan: ConnectionPlan, everUp: Bool) -> Bool {
        guard plan.connection.initiator == .biDirectional else { return false }
        switch plan.connection.dpd.action {
        case .hold, .restart, .disabled: return true
        case .clear, .restartByPeer: return !everUp
        }
    }

    /// How long the sole IKEv1 initiator waits for an answer before it restarts its attempt (and how often it
    /// tries until the tunnel was up once): the peer's configuration is usually what it waits for, so this bounds
    /// how long after it the tunnel comes up.
    static let soleInitiatorRetry: Duration = .milliseconds(500)

    /// How long the deferring end of an IKEv1 connection waits for its peer to initiate.
    static let deferral: Duration = .seconds(10)

    /// 1 s, 2 s, 4 s … capped at 30 s.
    static func backoff(_ attempts: Int) -> Duration {
        .seconds(min(30, 1 << min(attempts - 1, 5)))
    }

    /// A (re)loaded or unloaded connection starts over: its children may be initiated again.
    func forgetChildren(of connection: String) {
        let prefix = connection + "-"
        everUp.remove(connection)
        soleRetryDue[connection] = nil
        missingSince = missingSince.filter { $0.key != connection && !$0.key.hasPrefix(prefix) }
        initiated = initiated.filter { $0.key != connection && !$0.key.hasPrefix(prefix) }
    }

    /// The earliest moment a pass must run to enforce a DPD timeout on time.
    /// Also when a sole IKEv1 initiator's unanswered attempt may be restarted (only dues still ahead, so a
    /// negotiation that went on past its due does not keep the agent busy).
    package func nextDeadline() -> ContinuousClock.Instant? {
        let current = now()
        let retry = soleRetryDue.values.filter { $0 > current }.min()
        return [dpd.nextDeadline, retry].compactMap { $0 }.min()
    }
}
