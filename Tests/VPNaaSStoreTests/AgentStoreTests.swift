import Testing
import VPNaaSDomain
import VPNaaSStore

/// Network agents and router bindings in every store backend: upsert, NULL (admin-removed) bindings,
/// cascades from routers and agents.
@Suite struct AgentStoreTests {
    static let t0 = Timestamp(secondsSinceEpoch: 1_700_000_000)

    @Test(arguments: Backend.available)
    func agentsAndBindingsRoundTripAndCascade(backend: Backend) async throws {
        try await backend.withStore { store in
            let a = NetworkAgent(
                id: "agent-a", host: "net-1", configurations: ["agent_mode": "legacy", "routers": "2"], createdAt: Self.t0,
                startedAt: Self.t0, heartbeatAt: Self.t0)
            try await store.write { tx in
                try await tx.upsert(a)
                try await tx.upsert(NetworkAgent(id: "agent-b", host: "net-0", createdAt: Self.t0, startedAt: Self.t0, heartbeatAt: Self.t0))
                for r in ["r1", "r2", "r3"] {
                    try await tx.insert(
                        Router(
                            id: r, projectID: "p", name: "", description: "", adminStateUp: true, status: "ACTIVE", gateway: nil,
                            routes: [], stamps: .new(at: Self.t0)))
                }
                try await tx.bind(router: "r1", to: "agent-a")
                try await tx.bind(router: "r2", to: "agent-a")
                try await tx.bind(router: "r2", to: "agent-b")
                try await tx.unbind(router: "r3")
            }
            #expect(try await store.read { try await $0.networkAgents() }.map(\.host) == ["net-0", "net-1"])
            #expect(try await store.read { try await $0.networkAgent("agent-a") } == a)
            let bindings = try await store.read { try await $0.routerBindings() }
            #expect(bindings == ["r1": "agent-a", "r2": "agent-b", "r3": String?.none])
            // An update keeps id, host and creation time; the rest changes.
            var later = a
            later.adminStateUp = false
            later.description = "maintenance"
            later.heartbeatAt = Timestamp(secondsSinceEpoch: Self.t0.secondsSinceEpoch + 10)
            let updated = later
            try await store.write { try await $0.upsert(updated) }
            #expect(try await store.read { try await $0.networkAgent("agent-a") } == updated)
            // A second agent on the same host is refused.
            await #expect(throws: StoreError.self) {
                try await store.write { tx in
                    try await tx.upsert(NetworkAgent(id: "agent-c", host: "net-1", createdAt: Self.t0, startedAt: Self.t0, heartbeatAt: Self.t0))
                }
            }
            // A binding to an unknown agent or router is refused.
            await #expect(throws: StoreError.self) { try await store.write { try await $0.bind(router: "r1", to: "nobody") } }
            await #expect(throws: StoreError.self) { try await store.write { try await $0.bind(router: "nope", to: "agent-a") } }
            // Deleting the router or the agent drops its bindings.
            try await store.write { tx in
                try await tx.deleteRouter("r3")
                try await tx.deleteNetworkAgent("agent-b")
            }
            #expect(try await store.read { try await $0.routerBindings() } == ["r1": "agent-a"])
            await #expect(throws: StoreError.self) { try await store.write { try await $0.deleteNetworkAgent("agent-b") } }
        }
    }

    @Test(arguments: Backend.available)
    func runtimeRowsArePerHostAndGoWithTheirConnection(backend: Backend) async throws {
        try await backend.withStore { store in
            try await SecretAtRestTests.seed(store)
            let ids = try await store.read { try await $0.ipsecSiteConnections().map(\.id) }
            #expect(!ids.isEmpty)
            let id = ids[0]
            try await store.write { tx in
                try await tx.replaceConnectionRuntimes(host: "net-1", [id: "{\"a\":1}", "gone": "{}"], updatedMillis: 10)
            }
            #expect(try await store.read { try await $0.connectionRuntimes() } == [
                ConnectionRuntimeRow(connectionID: id, host: "net-1", entry: "{\"a\":1}", updatedMillis: 10)
            ])
            // The router moved: the other host's picture takes the row; the first host's next picture is empty.
            try await store.write { tx in try await tx.replaceConnectionRuntimes(host: "net-2", [id: "{\"b\":2}"], updatedMillis: 20) }
            try await store.write { tx in try await tx.replaceConnectionRuntimes(host: "net-1", [:], updatedMillis: 30) }
            #expect(try await store.read { try await $0.connectionRuntimes() }.map(\.host) == ["net-2"])
            try await store.write { tx in try await tx.deleteIPsecSiteConnection(id) }
            #expect(try await store.read { try await $0.connectionRuntimes() }.isEmpty)
        }
    }
}
