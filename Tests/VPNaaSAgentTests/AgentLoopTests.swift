import Logging
import ServiceLifecycle
import Synchronization
import Testing
import VPNaaSCore
import VPNaaSDomain

@testable import VPNaaSAgent
@testable import VPNaaSPlan

/// The reconcile loop against fakes of its three edges (server, network, IKE daemons).
@Suite("Agent loop")
struct AgentLoopTests {
    final class FakeServer: AgentServer {
        let state: DesiredState
        let feed = ChangeFeed()
        let reports = Mutex<[VPNStatusReport]>([])
        init(_ state: DesiredState) { self.state = state }
        func desiredState() async throws -> DesiredState { state }
        func report(_ report: VPNStatusReport) async throws { reports.withLock { $0.append(report) } }
        let events = Mutex<[ConnectionEvent]>([])
        func record(_ events: [ConnectionEvent]) async throws { self.events.withLock { $0 += events } }
        func changes() -> AsyncStream<Void> { feed.subscribe() }
        let beats = Mutex<[AgentHeartbeat]>([])
        func heartbeat(_ beat: AgentHeartbeat) async throws { beats.withLock { $0.append(beat) } }
    }

    struct FailingNetwork: RouterNetwork {
        struct Broken: Error {}
        func apply(_ plan: HostPlan) async throws -> [String: String] { throw Broken() }
    }

    struct FakeNetwork: RouterNetwork {
        func apply(_ plan: HostPlan) async throws -> [String: String] { [:] }
    }

    struct FakeIKE: IKEDaemons {
        let statuses: [String: VPNStatus]
        func apply(_ routers: [RouterPlan], problems: [String: String], sweep: Bool) async -> [String: ConnectionRuntime] {
            statuses.mapValues { ConnectionRuntime(status: $0) }
        }
        func stopAll() async {}
        func drainEvents() async -> [ConnectionEvent] { [] }
    }

    func run(_ agent: Agent, until done: @escaping @Sendable () -> Bool) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await agent.run() }
            // Generous: the loop ends as soon as `done`, the bound only matters on a starved CI machine.
            let deadline = ContinuousClock.now + .seconds(60)
            while !done() && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            group.cancelAll()
        }
    }

    @Test func reportsWhatTheDaemonsSay() async throws {
        let server = FakeServer(Fixture.twoSites())
        let agent = Agent(
            server: server, network: FakeNetwork(), ike: FakeIKE(statuses: ["conn-left": .active, "conn-right": .down]),
            board: RuntimeBoard(), layout: AgentLayout(), wakeups: Agent.makeWakeups(), resync: .milliseconds(20),
            logger: Logger(label: "test"))
        try await run(agent) { !server.reports.withLock { $0.isEmpty } }
        let report = try #require(server.reports.withLock { $0.first })
        #expect(report.connections["conn-left"]?.status == .active)
        #expect(report.services["svc-left"] == .active)
        #expect(report.services["svc-right"] == .down)
    }

    @Test func pendingObjectsTurnErrorWhenPassesKeepFailing() async throws {
        var state = Fixture.twoSites()
        state.connections[0].status = .pendingCreate
        state.connections[1].status = .active
        let server = FakeServer(state)
        let board = RuntimeBoard()
        let agent = Agent(
            server: server, network: FailingNetwork(), ike: FakeIKE(statuses: [:]), board: board, layout: AgentLayout(),
            wakeups: Agent.makeWakeups(), resync: .milliseconds(20), pendingDeadline: .milliseconds(100), logger: Logger(label: "test"))
        try await run(agent) { !server.reports.withLock { $0.isEmpty } }
        let report = try #require(server.reports.withLock { $0.first })
        #expect(report.connections["conn-left"]?.status == .error)
        #expect(report.connections["conn-right"] == nil, "only pending objects are touched")
        #expect(board.entry("conn-left")?.runtime.lastError?.contains("not realised") == true)
    }
}

@Suite("Disabled agent")
struct DisabledAgentTests {
    @Test func everythingIsDownWithTheReasonNeverActive() async throws {
        let server = AgentLoopTests.FakeServer(Fixture.twoSites())
        let board = RuntimeBoard()
        let agent = DisabledAgent(server: server, board: board, reason: "agent disabled: missing charon-systemd", logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await agent.run() }
            // Generous: the loop ends as soon as `done`, the bound only matters on a starved CI machine.
            let deadline = ContinuousClock.now + .seconds(60)
            while server.reports.withLock({ $0.isEmpty }) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            group.cancelAll()
        }
        let report = try #require(server.reports.withLock { $0.first })
        #expect(report.connections.values.allSatisfy { $0.status == .down })
        #expect(report.services.values.allSatisfy { $0 == .down })
        #expect(board.entry("conn-left")?.runtime.lastError == "agent disabled: missing charon-systemd")
    }
}
