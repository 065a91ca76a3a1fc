import Testing
import VPNaaSDomain

@testable import VPNaaSPlan

/// A remote agent's state built from deltas must equal the same state fetched whole, and a delta carries only
/// what changed.
@Suite("Desired state deltas")
struct DesiredStateDeltaTests {
    @Test func aDeltaCarriesOnlyTheChangeAndRebuildsTheWholeState() throws {
        let base = Fixture.twoSites().inIDOrder()
        var next = base
        next.routers[0].name = "renamed"
        let removed = next.connections.removeLast()
        next.tunnelPeers = ["192.168.200.3"]
        var added = next.connections[0]
        added.id = "conn-added"
        next.connections.append(added)
        let delta = next.delta(from: base)
        #expect(delta.changed.routers.map(\.id) == [base.routers[0].id])
        #expect(delta.changed.connections.map(\.id) == ["conn-added"])
        #expect(delta.removed == ["connections": [removed.id]])
        #expect(delta.changed.networks.isEmpty && delta.changed.ports.isEmpty && delta.changed.subnets.isEmpty)
        #expect(base.applying(delta) == next.inIDOrder())
    }

    @Test func noChangeIsAnEmptyDelta() {
        let base = Fixture.twoSites().inIDOrder()
        #expect(base.delta(from: base).isEmpty)
        #expect(base.applying(base.delta(from: base)) == base)
    }
}
