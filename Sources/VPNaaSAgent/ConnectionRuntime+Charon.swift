import VICI
import VPNaaSDomain
import VPNaaSPlan

/// One IKE_SA from `list-sas`, reduced to what status needs.
package struct IKESASnapshot: Sendable, Equatable {
    package var connection: String
    package var uniqueID: String
    package var state: String
    package var initiatorSPI: String
    package var responderSPI: String
    package var establishedSeconds: Int?
    package var tasksActive: [String] = []
    package var children: [ChildSASnapshot]

    package var isEstablished: Bool { state == "ESTABLISHED" }
    /// An initiated SA the peer has not answered yet (no responder SPI/cookie).
    package var isUnanswered: Bool { !isEstablished && responderSPI.allSatisfy { $0 == "0" } }
    package var installedChildren: [ChildSASnapshot] { children.filter { $0.state == "INSTALLED" } }
    /// Same on both ends of the SA, so both peers pick the same survivor among duplicates.
    package var pairKey: String { initiatorSPI + responderSPI }
}

package struct ChildSASnapshot: Sendable, Equatable {
    /// The child config's name (`ChildPlan.name`), not the `<name>-<uniqueid>` section key.
    package var name: String = ""
    package var state: String
    package var bytesIn: UInt64
    package var bytesOut: UInt64
    package var packetsIn: UInt64
    package var packetsOut: UInt64
    package var useIn: Int?
    /// Negotiated traffic selectors as charon lists them (`10.1.0.0/24`, maybe `[udp/500]`-suffixed).
    package var localTS: [String] = []
    package var remoteTS: [String] = []

    /// Whether this CHILD_SA carries traffic between `pair.local` and `pair.remote` (charon may have
    /// narrowed the selectors; a narrower one or one restricted to a protocol does not count).
    package func carries(_ pair: SelectorPair) -> Bool {
        func covers(_ list: [String], _ cidr: CIDR) -> Bool {
            // Most selectors are the planned subnet itself: a text comparison, before parsing (a look parses every
            // selector of every SA otherwise).
            let planned = cidr.description
            if list.contains(planned) { return true }
            return list.contains { text in
                guard !text.contains("["), let ts = CIDR(text) else { return false }
                return ts.prefixLength <= cidr.prefixLength && ts.contains(cidr.network)
            }
        }
        return covers(localTS, pair.local) && covers(remoteTS, pair.remote)
    }
}

extension IKESASnapshot {
    /// Parses the `list-sa` events of a `list-sas` call (each holds one IKE_SA keyed by connection name).
    package static func parse(_ events: [VICIMessage]) -> [IKESASnapshot] {
        events.flatMap { event in
            event.entries.compactMap { name, element -> IKESASnapshot? in
                guard let sa = element.sectionValue else { return nil }
                let children = (sa.section("child-sas")?.entries ?? []).compactMap { _, c -> ChildSASnapshot? in
                    guard let c = c.sectionValue else { return nil }
                    return ChildSASnapshot(
                        name: c.string("name") ?? "", state: c.string("state") ?? "", bytesIn: UInt64(c.string("bytes-in") ?? "") ?? 0,
                        bytesOut: UInt64(c.string("bytes-out") ?? "") ?? 0,
                        packetsIn: UInt64(c.string("packets-in") ?? "") ?? 0,
                        packetsOut: UInt64(c.string("packets-out") ?? "") ?? 0, useIn: c.string("use-in").flatMap { Int($0) },
                        localTS: c.strings("local-ts") ?? [], remoteTS: c.strings("remote-ts") ?? [])
                }
                return IKESASnapshot(
                    connection: name, uniqueID: sa.string("uniqueid") ?? "", state: sa.string("state") ?? "",
                    initiatorSPI: sa.string("initiator-spi") ?? "", responderSPI: sa.string("responder-spi") ?? "",
                    establishedSeconds: sa.string("established").flatMap { Int($0) },
                    tasksActive: sa.strings("tasks-active") ?? [], children: children)
            }
        }
    }
}

extension ConnectionRuntime {
    /// ACTIVE = every selector pair of the plan is carried by an INSTALLED CHILD_SA of an
    /// ESTABLISHED IKE_SA (design §5; IKEv1 needs one per pair). A partial state is DOWN with
    /// `lastError` naming the missing pairs. Counters add up over every installed child.
    package static func from(_ sas: [IKESASnapshot], plan: ConnectionPlan) -> ConnectionRuntime {
        guard plan.enabled else {
            if let problem = plan.problem {
                return ConnectionRuntime(status: .error, lastError: problem, failureReason: .configurationError)
            }
            return ConnectionRuntime(
                status: .down, lastError: "administratively down: admin_state_up is false on the connection or its VPN service",
                failureReason: .adminDown)
        }
        let names = Set(plan.children.map(\.name))
        let mine = sas.filter { $0.connection == plan.viciName }
        let up = mine.filter { $0.isEstablished && !$0.installedChildren.isEmpty }
        let installed = up.flatMap(\.installedChildren).filter { names.contains($0.name) }
        let missing = plan.selectorPairs.filter { pair in !installed.contains { $0.carries(pair) } }
        var runtime = ConnectionRuntime(status: missing.isEmpty && !installed.isEmpty ? .active : .down)
        if !missing.isEmpty, !installed.isEmpty {
            runtime.lastError = "no CHILD_SA installed for \(missing.map(\.description).joined(separator: ", "))"
            runtime.missingPairs = missing
        }
        runtime.effectiveMTU = plan.effectiveMTU
        let best = up.first ?? mine.first
        runtime.ikeState = best?.state
        runtime.childState = best?.installedChildren.first?.state ?? best?.children.first?.state
        runtime.establishedSeconds = up.compactMap(\.establishedSeconds).max()
        for child in installed {
            runtime.bytesIn += child.bytesIn
            runtime.bytesOut += child.bytesOut
            runtime.packetsIn += child.packetsIn
            runtime.packetsOut += child.packetsOut
            if let use = child.useIn { runtime.idleInSeconds = min(runtime.idleInSeconds ?? use, use) }
        }
        return runtime
    }
}

extension IKESASnapshot {
    /// IKE_SAs to close for one connection: half-open ones once another is up, and all but one
    /// of simultaneous duplicates (both ends keep the one with the smallest SPI pair).
    package static func redundant(_ sas: [IKESASnapshot]) -> [IKESASnapshot] {
        let established = sas.filter(\.isEstablished).sorted { $0.pairKey < $1.pairKey }
        guard let keep = established.first else { return [] }
        return sas.filter { $0.uniqueID != keep.uniqueID && ($0.state == "CONNECTING" || $0.isEstablished) }
    }
}
