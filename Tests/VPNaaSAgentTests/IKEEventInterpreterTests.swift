import Testing
import VICI
import VPNaaSDomain

@testable import VPNaaSAgent
@testable import VPNaaSPlan

/// charon 5.9's own words (level ≤ 1 `log` events and up/down events) → reasons, per connection.
@Suite("IKE event interpreter")
struct IKEEventInterpreterTests {
    static func log(_ msg: String, name: String? = "conn-a", id: String = "1") -> VICIEvent {
        var m: VICIMessage = ["group": "IKE", "level": "1", "ikesa-uniqueid": .string(id), "msg": .string(msg)]
        if let name { m["ikesa-name"] = .string(name) }
        return VICIEvent(name: "log", message: m)
    }

    static func updown(_ name: String, up: Bool, id: String = "1", child: Bool = false) -> VICIEvent {
        var m: VICIMessage = [name: ["uniqueid": .string(id), "state": up ? "ESTABLISHED" : "DELETING"]]
        if up { m["up"] = "yes" }
        return VICIEvent(name: child ? "child-updown" : "ike-updown", message: m)
    }

    @Test(arguments: [
        ("received AUTHENTICATION_FAILED notify error", FailureReason.authenticationFailed),
        ("tried 1 shared key for '203.0.113.2' - '203.0.113.3', but MAC mismatched", .authenticationFailed),
        ("received NO_PROPOSAL_CHOSEN notify error", .noProposalChosen),
        ("received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built", .noProposalChosen),
        ("no acceptable proposal found", .noProposalChosen),
        ("received TS_UNACCEPTABLE notify, no CHILD_SA built", .tsUnacceptable),
        ("constraint check failed: identity '203.0.113.9' required ", .peerIDMismatch),
        ("giving up after 5 retransmits", .peerUnreachable),
        ("retransmit 1 of request with message ID 0", .peerUnreachable),
        ("sending retransmit 2 of request message ID 0, seq 1", .peerUnreachable),
    ])
    func classifies(_ line: String, _ reason: FailureReason) {
        var i = IKEEventInterpreter(peers: ["203.0.113.3": ["conn-a"]])
        let signals = i.interpret(Self.log(line))
        #expect(signals.count == 1)
        guard case .failure("conn-a", let got, let sentence) = signals.first else {
            Issue.record("no failure for \(line)")
            return
        }
        #expect(got == reason)
        #expect(sentence.contains(line))
    }

    @Test func routineLinesSayNothing() {
        var i = IKEEventInterpreter(peers: ["203.0.113.3": ["conn-a"]])
        for line in ["initiating IKE_SA conn-a[1] to 203.0.113.3", "IKE_SA conn-a[1] established between …",
                     "retransmit 1 of request with message ID 2", "CHILD_SA conn-a{1} established with SPIs …"] {
            #expect(i.interpret(Self.log(line)).isEmpty, "\(line)")
        }
    }

    @Test func anEstablishedSAThatStopsAnsweringIsADeadPeer() {
        var i = IKEEventInterpreter(peers: ["203.0.113.3": ["conn-a"]])
        #expect(i.interpret(Self.updown("conn-a", up: true, id: "7")) == [.ikeUp(connection: "conn-a")])
        let signals = i.interpret(Self.log("giving up after 5 retransmits", id: "7"))
        guard case .failure(_, .deadPeer, _) = signals.first else {
            Issue.record("\(signals)")
            return
        }
        #expect(i.interpret(Self.updown("conn-a", up: false, id: "7")) == [.ikeDown(connection: "conn-a")])
        guard case .failure(_, .peerUnreachable, _) = i.interpret(Self.log("giving up after 5 retransmits", id: "7")).first else {
            Issue.record("after down it is a new setup")
            return
        }
    }

    @Test func aResponderWithoutMatchingConfigBlamesTheConnectionToThatPeer() {
        var i = IKEEventInterpreter(peers: ["203.0.113.3": ["conn-a"], "203.0.113.9": ["conn-b"]])
        #expect(i.interpret(Self.log("received packet: from 203.0.113.3[500] to 203.0.113.2[500] (464 bytes)", name: nil, id: "4")).isEmpty)
        let signals = i.interpret(Self.log("no matching peer config found", name: "(unnamed)", id: "4"))
        guard case .failure("conn-a", .peerIDMismatch, _) = signals.first, signals.count == 1 else {
            Issue.record("\(signals)")
            return
        }
        // Unknown peers are nobody's business here.
        #expect(i.interpret(Self.log("no matching peer config found", name: nil, id: "5")).isEmpty)
    }

    @Test func rekeysAndChildren() {
        var i = IKEEventInterpreter()
        #expect(i.interpret(Self.updown("c", up: true, child: true)) == [.childUp(connection: "c")])
        #expect(i.interpret(VICIEvent(name: "child-rekey", message: ["c": ["uniqueid": "1"]])) == [.childRekeyed(connection: "c")])
        #expect(i.interpret(VICIEvent(name: "ike-rekey", message: ["c": ["uniqueid": "1"]])) == [.ikeRekeyed(connection: "c")])
    }

    @Test func runtimeOfAdminDownAndBrokenConnections() {
        var state = Fixture.twoSites()
        state.connections[0].adminStateUp = false
        let plan = HostPlan.build(state, layout: Fixture.layout).routers[0].vpn!.connections[0]
        let down = ConnectionRuntime.from([], plan: plan)
        #expect(down.status == .down)
        #expect(down.failureReason == .adminDown)
        #expect(down.lastError?.contains("admin_state_up") == true)
        var broken = Fixture.twoSites()
        broken.connections[0].peerAddress = "198.51.100.7"
        broken.connections[0].peerID = "198.51.100.7"
        broken.routers[0].gateway?.fixedIPs.removeAll { $0.ipAddress.version == 4 }
        let bad = HostPlan.build(broken, layout: Fixture.layout).routers[0].vpn!.connections[0]
        #expect(ConnectionRuntime.from([], plan: bad).failureReason == .configurationError)
    }

    @Test func upAndDownTransitionsBecomeEvents() {
        let conn = Fixture.twoSites().connections[0]
        let down = VPNStatusReportFixture.report(conn, .down)
        let up = VPNStatusReportFixture.report(conn, .active)
        var n = 0
        let id: () -> String = {
            n += 1
            return "e\(n)"
        }
        #expect(Agent.transitions(from: nil, to: up, runtimes: [:], nowMillis: 1, newID: id).isEmpty)
        let rising = Agent.transitions(from: down, to: up, runtimes: [:], nowMillis: 5, newID: id)
        #expect(rising.map(\.kind) == [.up])
        #expect(rising.first?.failureReason == nil)
        let runtime = ConnectionRuntime(status: .down, lastError: "x", failureReason: .authenticationFailed)
        let falling = Agent.transitions(from: up, to: down, runtimes: [conn.id: runtime], nowMillis: 9, newID: id)
        #expect(falling.map(\.kind) == [.down])
        #expect(falling.first?.failureReason == .authenticationFailed)
        #expect(Agent.transitions(from: up, to: up, runtimes: [:], nowMillis: 9, newID: id).isEmpty)
        // A connection new since the previous pass: ACTIVE at once (a fast peer) is an `up`; down at first is nothing.
        let before = VPNStatusReport()
        #expect(Agent.transitions(from: before, to: up, runtimes: [:], nowMillis: 11, newID: id).map(\.kind) == [.up])
        #expect(Agent.transitions(from: before, to: down, runtimes: [:], nowMillis: 11, newID: id).isEmpty)
    }
}

import VPNaaSCore

enum VPNStatusReportFixture {
    static func report(_ c: IPsecSiteConnection, _ status: VPNStatus) -> VPNStatusReport {
        VPNStatusReport(connections: [c.id: .init(status: status, realised: c)])
    }
}
