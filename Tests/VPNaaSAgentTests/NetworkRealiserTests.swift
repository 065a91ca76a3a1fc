import Foundation
import Logging
import NetNS
import Testing
import VPNaaSDomain

@testable import VPNaaSAgent
@testable import VPNaaSPlan

/// The realiser against a recording runner: what it runs, and that it touches only what changed.
@Suite("Network realiser")
struct NetworkRealiserTests {
    func realiser() async -> (NetworkRealiser, RecordingRunner) {
        let runner = RecordingRunner()
        // Reads answer "nothing there yet" in iproute2's JSON.
        await runner.stub(CommandResult(standardOutput: "[]"), containing: ["-j"])
        let host = NetworkHost(runner: runner, logger: Logger(label: "test"))
        return (NetworkRealiser(host: host, layout: AgentLayout(), logger: Logger(label: "test")), runner)
    }

    func text(_ commands: [Command]) -> [String] { commands.map(\.description) }

    @Test func firstPassBuildsEverythingSecondPassDoesNothing() async throws {
        let (realiser, runner) = await realiser()
        let plan = HostPlan.build(Fixture.twoSites(), layout: AgentLayout())
        let problems = try await realiser.apply(plan)
        #expect(problems.isEmpty)
        let first = text(await runner.commands)
        #expect(first.contains { $0.contains("netns add qrouter-router-left") })
        #expect(first.contains { $0.contains("qg-gw-left") && $0.contains("veth") })
        #expect(first.contains { $0.contains("2001:db8:1:33bc::/64") && $0.contains("nodad") })
        #expect(first.contains { $0.contains("blackhole") && $0.contains("2001:db8:1:33bd::/64") })
        #expect(first.contains { $0.contains("net.ipv6.conf.all.forwarding") })
        #expect(first.contains { $0.contains("netns add qprobe-probe-left") })
        await runner.reset()
        await runner.stub(CommandResult(standardOutput: "[]"), containing: ["-j"])
        _ = try await realiser.apply(plan)
        #expect(await runner.commands.isEmpty, "an unchanged plan costs no command")
    }

    @Test func aChangeToOneRouterTouchesOnlyThatRouter() async throws {
        let (realiser, runner) = await realiser()
        var state = Fixture.twoSites()
        _ = try await realiser.apply(HostPlan.build(state, layout: AgentLayout()))
        await runner.reset()
        await runner.stub(CommandResult(standardOutput: "[]"), containing: ["-j"])
        state.endpointGroups = state.endpointGroups.map { g in
            var g = g
            if g.id == "peer-right" { g.endpoints = ["2001:db8:1:33be::/64"] }
            return g
        }
        _ = try await realiser.apply(HostPlan.build(state, layout: AgentLayout()))
        let commands = text(await runner.commands)
        #expect(!commands.isEmpty)
        #expect(commands.allSatisfy { !$0.contains("router-left") })
        #expect(commands.contains { $0.contains("qrouter-router-right") && $0.contains("2001:db8:1:33be::/64") })
        #expect(commands.contains { $0.contains("qrouter-router-right") && $0.contains("del") && $0.contains("2001:db8:1:33bc::/64") },
                "the old peer's blackhole is removed")
    }

    @Test func deletedRoutersLoseTheirNamespace() async throws {
        let (realiser, runner) = await realiser()
        var state = Fixture.twoSites()
        _ = try await realiser.apply(HostPlan.build(state, layout: AgentLayout()))
        await runner.reset()
        await runner.stub(CommandResult(standardOutput: "[]"), containing: ["-j"])
        await runner.stub(
            CommandResult(standardOutput: "[{\"name\":\"qrouter-router-left\"},{\"name\":\"qrouter-router-right\"},{\"name\":\"other\"}]"),
            containing: ["netns", "list"])
        state.routers.removeAll { $0.id == "router-right" }
        _ = try await realiser.apply(HostPlan.build(state, layout: AgentLayout()))
        let commands = text(await runner.commands)
        #expect(commands.contains { $0.contains("netns del") && $0.contains("qrouter-router-right") })
        #expect(!commands.contains { $0.contains("netns del") && ($0.contains("qrouter-router-left") || $0.contains("other")) })
    }
}

extension NetworkRealiserTests {
    @Test func anotherAgentsNamespacesAreLeftAlone() async throws {
        let (realiser, runner) = await realiser()
        _ = try await realiser.apply(HostPlan.build(Fixture.twoSites(), layout: AgentLayout()))
        await runner.reset()
        await runner.stub(CommandResult(standardOutput: "[]"), containing: ["-j"])
        await runner.stub(
            CommandResult(standardOutput: "[{\"name\":\"qrouter-router-left\"},{\"name\":\"qrouter-not-mine\"},{\"name\":\"qprobe-not-mine\"}]"),
            containing: ["netns", "list"])
        var state = Fixture.twoSites()
        state.routers.removeAll { $0.id == "router-left" }
        _ = try await realiser.apply(HostPlan.build(state, layout: AgentLayout()))
        let commands = text(await runner.commands)
        #expect(commands.contains { $0.contains("netns del") && $0.contains("qrouter-router-left") })
        #expect(!commands.contains { $0.contains("not-mine") })
    }

    @Test func ownershipSurvivesARestart() async throws {
        let dir = "/tmp/vpnaas-owned-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let runner = RecordingRunner()
        await runner.stub(CommandResult(standardOutput: "[]"), containing: ["-j"])
        let host = NetworkHost(runner: runner, logger: Logger(label: "test"))
        let first = NetworkRealiser(host: host, layout: AgentLayout(), ownershipFile: "\(dir)/namespaces.json", logger: Logger(label: "test"))
        _ = try await first.apply(HostPlan.build(Fixture.twoSites(), layout: AgentLayout()))
        // A new agent on the same state dir, after the right router was deleted while it was down.
        await runner.reset()
        await runner.stub(CommandResult(standardOutput: "[]"), containing: ["-j"])
        await runner.stub(
            CommandResult(standardOutput: "[{\"name\":\"qrouter-router-left\"},{\"name\":\"qrouter-router-right\"}]"),
            containing: ["netns", "list"])
        let second = NetworkRealiser(host: host, layout: AgentLayout(), ownershipFile: "\(dir)/namespaces.json", logger: Logger(label: "test"))
        var state = Fixture.twoSites()
        state.routers.removeAll { $0.id == "router-right" }
        _ = try await second.apply(HostPlan.build(state, layout: AgentLayout()))
        #expect(text(await runner.commands).contains { $0.contains("netns del") && $0.contains("qrouter-router-right") })
    }
}
