import Foundation
import VICI
import VPNaaSDomain
import VPNaaSPlan

/// What the fleet learns from charon's events: failures with reasons (shown while a connection is not up)
/// and the tunnel events handed to the server's event log.
extension CharonFleet {
    /// Handles one charon event; true when it may change a status (so a pass is worth running now).
    func observe(_ event: VICIEvent, router routerID: String) -> Bool {
        var interpreter = interpreters[routerID] ?? IKEEventInterpreter()
        let signals = interpreter.interpret(event)
        interpreters[routerID] = interpreter
        var relevant = event.name != "log"
        for signal in signals {
            switch signal {
            case .failure(let name, let reason, let message):
                relevant = note(name, reason, message) || relevant
            case .ikeUp(let name): record(name, .ikeUp, ike: "ESTABLISHED", message: "IKE_SA established")
            case .ikeDown(let name): record(name, .ikeDown, message: "IKE_SA down")
            case .childUp(let name): record(name, .childUp, ike: "ESTABLISHED", child: "INSTALLED", message: "CHILD_SA installed")
            case .childDown(let name): record(name, .childDown, message: "CHILD_SA down")
            case .ikeRekeyed(let name): record(name, .ikeRekey, ike: "ESTABLISHED", message: "IKE_SA rekeyed")
            case .childRekeyed(let name): record(name, .childRekey, child: "INSTALLED", message: "CHILD_SA rekeyed")
            }
        }
        if relevant { spoke.insert(routerID) }
        return relevant
    }

    /// Remembers a connection's failure; a new reason is also an event. Returns true when anything changed.
    @discardableResult
    func note(_ name: String, _ reason: FailureReason, _ message: String) -> Bool {
        let current = failures[name]
        // After DPD declared the peer dead, the restart's unanswered setup is the same story: keep dead_peer.
        if current?.reason == .deadPeer, reason == .peerUnreachable { return false }
        guard current?.reason != reason || current?.message != message else { return false }
        if current?.reason != reason { record(name, .failure, reason: reason, message: message) }
        failures[name] = (reason, message)
        return true
    }

    func record(
        _ name: String, _ kind: ConnectionEvent.Kind, ike: String? = nil, child: String? = nil, reason: FailureReason? = nil,
        message: String
    ) {
        let millis = Int64(Date().timeIntervalSince1970 * 1000)
        pendingEvents.append(
            ConnectionEvent(
                id: newEventID(), connectionID: name, time: millis, kind: kind, ikeState: ike, childState: child,
                failureReason: reason, message: message))
        // A server that is unreachable for long must not make the agent hoard events without bound.
        if pendingEvents.count > 10_000 { pendingEvents.removeFirst(pendingEvents.count - 10_000) }
    }
}
