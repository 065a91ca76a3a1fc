import Testing
import VPNaaSWire
@testable import VPNaaSDashboard

/// The event log's lines: what happened first, then only the parts the event has.
@Suite struct EventRowTests {
    @Test func aFailureSaysItsReasonAndMessage() {
        let row = Dashboard.eventRow([
            "id": .string("e1"), "time": .string("2026-12-02T05:00:00.123Z"), "type": .string("failure"), "ike_state": .null, "child_state": .null,
            "failure_reason": .string("authentication_failed"), "message": .string("the peer's pre-shared key differs"),
        ])
        #expect(row["at"] as? String == "2026-12-02T05:00:00.123Z")
        #expect(row["type"] as? String == "failure")
        #expect(row["text"] as? String == "failure · reason authentication_failed · the peer's pre-shared key differs")
    }

    @Test func anUpEventShowsItsStatesAndNoEmptyParts() {
        let row = Dashboard.eventRow([
            "time": .string("2026-12-02T05:00:01.000Z"), "type": .string("child_up"), "ike_state": .string("ESTABLISHED"), "child_state": .string("INSTALLED"),
            "failure_reason": .null, "message": .string(""),
        ])
        #expect(row["text"] as? String == "child up · IKE ESTABLISHED · CHILD INSTALLED")
    }
}
