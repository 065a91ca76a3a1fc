import Foundation
import Logging
import NetNS
import Synchronization
import Testing
import VPNaaSDomain

@testable import VPNaaSAgent
@testable import VPNaaSPlan

/// `bridge:` and `interface:` mappings against a recording runner: which commands run where, what is
/// never touched, and that a bad mapping is an ERROR with its reason, logged once per change.
@Suite("Host provider mappings")
struct HostMappingTests {
    /// The agent's own namespace as `ip -d -j link show` reports it.
    static func hostLinks(_ links: [(name: String, kind: String?, master: String?)]) -> String {
        let entries = links.enumerated().map { i, link in
            var fields = ["\"ifindex\":\(i + 1)", "\"ifname\":\"\(link.name)\"", "\"flags\":[\"UP\"]", "\"mtu\":1500"]
            if let kind = link.kind { fields.append("\"linkinfo\":{\"info_kind\":\"\(kind)\"}") }
            if let master = link.master { fields.append("\"master\":\"\(master)\"") }
            return "{" + fields.joined(separator: ",") + "}"
        }
        return "[" + entries.joined(separator: ",") + "]"
    }

    /// The agent's namespace's links, whole or one by name (the stub answers the whole list either way).
    static let isHostLinkList: RecordingRunner.Matcher = { $0.argv.starts(with: ["ip", "-d", "-j", "link", "show"]) }

    func realiser(_ mapping: AgentLayout.PhysicalNetworkMapping, host links: String, logs: LogLines = LogLines())
        async -> (NetworkRealiser, RecordingRunner, AgentLayout)
    {
        let runner = RecordingRunner()
        await runner.stub(CommandResult(standardOutput: "[]"), containing: ["-j"])
        await runner.stub(CommandResult(standardOutput: links), when: Self.isHostLinkList)
        var layout = AgentLayout()
        layout.physicalNetworks = ["public": mapping]
        let logger = Logger(label: "test", factory: { _ in logs.handler() })
        let host = NetworkHost(runner: runner, logger: logger)
        return (NetworkRealiser(host: host, layout: layout, logger: logger), runner, layout)
    }

    @Test func bridgeMappingPlugsPortsIntoTheOperatorsBridgeAndNothingElse() async throws {
        let links = Self.hostLinks([("lo", nil, nil), ("br-inet", "bridge", nil)])
        let (realiser, runner, layout) = await realiser(.hostBridge("br-inet"), host: links)
        let problems = try await realiser.apply(HostPlan.build(Fixture.twoSites(), layout: layout))
        #expect(problems.isEmpty)
        let commands = await runner.commands.map(\.argv)
        // The gateway pair is made from the agent's namespace; the router end goes into the router's.
        #expect(commands.contains(["ip", "link", "add", "vp-gw-left", "type", "veth", "peer", "name", "qg-gw-left", "netns", "qrouter-router-left"]))
        #expect(commands.contains(["ip", "link", "set", "dev", "vp-gw-left", "master", "br-inet", "up"]))
        // The operator's bridge: never created, addressed, set or deleted; the upstream gateway is nobody's here.
        let touching = commands.filter { $0.contains("br-inet") && !$0.contains("show") }
        #expect(touching.allSatisfy { $0.contains("master") }, "\(touching)")
        #expect(!commands.contains { $0.contains("203.0.113.1/24") || $0.contains("2001:db8::1/64") })
        #expect(!commands.contains { $0.contains("vpnaas-pn-public") })
        // Routers route via the upstream gateway.
        #expect(commands.contains { $0.contains("qrouter-router-left") && $0.contains("0.0.0.0/0") && $0.contains("203.0.113.1") })
    }

    @Test func interfaceMappingMakesABridgeAndEnslavesTheNICWithoutTouchingItsAddresses() async throws {
        let links = Self.hostLinks([("lo", nil, nil), ("eth1", nil, nil)])
        let (realiser, runner, layout) = await realiser(.hostInterface("eth1"), host: links)
        let plan = HostPlan.build(Fixture.twoSites(), layout: layout)
        let bridge = try #require(plan.bridges.first { $0.networkID == "ext" })
        #expect(bridge.namespace == nil && bridge.uplink == "eth1" && bridge.addresses.isEmpty && bridge.name == "brqext")
        #expect(try await realiser.apply(plan).isEmpty)
        let commands = await runner.commands.map(\.argv)
        #expect(commands.contains(["ip", "link", "add", "brqext", "type", "bridge"]))
        #expect(commands.contains(["ip", "link", "set", "dev", "eth1", "master", "brqext", "up"]))
        #expect(commands.contains(["ip", "link", "set", "dev", "vp-gw-left", "master", "brqext", "up"]))
        let onNIC = commands.filter { $0.contains("eth1") && !$0.contains("show") }
        #expect(onNIC.count == 1, "only the enslaving: \(onNIC)")
        #expect(!commands.contains { $0.contains("address") && $0.contains("brqext") })
    }

    @Test func aMissingBridgeIsAnErrorOnTheRoutersLoggedOnce() async throws {
        let logs = LogLines()
        let (realiser, runner, layout) = await realiser(.hostBridge("br-inet"), host: Self.hostLinks([("lo", nil, nil)]), logs: logs)
        let plan = HostPlan.build(Fixture.twoSites(), layout: layout)
        let problems = try await realiser.apply(plan)
        #expect(problems.keys.sorted() == ["router-left", "router-right"])
        #expect(problems["router-left"]?.contains("physical_network_mappings public=bridge:br-inet: no link br-inet") == true)
        #expect(!(await runner.commands).contains { $0.argv.contains("qrouter-router-left") }, "nothing is attempted for it")
        let errorsAfterFirst = logs.errors
        #expect(errorsAfterFirst == 3, "the mapping and each router, once: \(logs.lines.withLock { $0 })")
        for _ in 0..<5 { _ = try await realiser.apply(plan) }
        #expect(logs.errors == errorsAfterFirst, "an unchanged fault is not logged again on every pass")

        // The operator creates the bridge: routers are realised and the recovery is logged once.
        await runner.stub(CommandResult(standardOutput: Self.hostLinks([("lo", nil, nil), ("br-inet", "bridge", nil)])), when: Self.isHostLinkList)
        #expect(try await realiser.apply(plan).isEmpty)
        #expect((await runner.commands).contains { $0.argv.contains("qrouter-router-left") })
        #expect(logs.errors == errorsAfterFirst)
    }

    @Test(arguments: [
        (AgentLayout.PhysicalNetworkMapping.hostBridge("eth1"), "eth1 is not a bridge"),
        (.hostInterface("br-inet"), "br-inet is a bridge; map it with bridge:br-inet"),
        (.hostInterface("eth2"), "no interface eth2"),
        (.hostInterface("eth3"), "eth3 is already a port of br-other, which this agent did not make"),
    ])
    func badMappingsSayWhy(mapping: AgentLayout.PhysicalNetworkMapping, reason: String) {
        var layout = AgentLayout()
        layout.physicalNetworks = ["public": mapping, "lab": .isolated]
        let links = try! IPJSON.links(
            Self.hostLinks([("lo", nil, nil), ("eth1", nil, nil), ("br-inet", "bridge", nil), ("eth3", nil, "br-other")]))
        let problems = layout.mappingProblems(links: links, agentBridges: [])
        #expect(problems.keys.sorted() == ["public"])
        #expect(problems["public"]?.contains(reason) == true, "\(problems)")
        #expect(layout.mappingProblems(links: links, agentBridges: ["br-other"])["public"] == (mapping == .hostInterface("eth3") ? nil : problems["public"]))
    }
}

/// Ownership: only what this agent recorded as created is ever removed.
@Suite("Ownership")
struct OwnershipTests {
    @Test func anotherAgentsLinksAndSharedNamespacesAreLeftAlone() async throws {
        let runner = RecordingRunner()
        await runner.stub(CommandResult(standardOutput: "[]"), containing: ["-j"])
        let host = NetworkHost(runner: runner, logger: Logger(label: "test"))
        let realiser = NetworkRealiser(host: host, layout: AgentLayout(), logger: Logger(label: "test"))
        _ = try await realiser.apply(HostPlan.build(Fixture.twoSites(), layout: AgentLayout()))
        // Another agent's bridge and port share vpnaas-l2 (and its namespace list) with ours.
        await runner.reset()
        await runner.stub(CommandResult(standardOutput: "[]"), containing: ["-j"])
        await runner.stub(
            CommandResult(standardOutput: #"[{"name":"vpnaas-l2"},{"name":"vpnaas-pn-public"},{"name":"qrouter-router-left"},{"name":"qrouter-router-right"}]"#),
            containing: ["netns", "list"])
        await runner.stub(
            CommandResult(standardOutput: HostMappingTests.hostLinks([("lo", nil, nil), ("brqtheirs", "bridge", nil), ("vp-theirs", "veth", "brqtheirs")])),
            containing: ["-n", "vpnaas-l2", "-d", "-j", "link", "show"])
        _ = try await realiser.apply(HostPlan())
        let commands = await runner.commands.map(\.description)
        #expect(commands.contains { $0.contains("netns del qrouter-router-left") })
        #expect(commands.contains { $0.contains("-n vpnaas-l2 link del dev vp-if6-left") }, "our own port in the shared namespace goes")
        #expect(commands.contains { $0.contains("-n vpnaas-l2 link del dev brqnet-left") })
        #expect(!commands.contains { $0.contains("theirs") })
        #expect(!commands.contains { $0.contains("netns del vpnaas-l2") }, "it still holds the other agent's links")
        #expect(commands.contains { $0.contains("netns del vpnaas-pn-public") }, "ours and empty: removed")
    }

    @Test func aNamespaceFoundExistingIsNeverDeleted() async throws {
        let runner = RecordingRunner()
        await runner.stub(CommandResult(standardOutput: "[]"), containing: ["-j"])
        await runner.stub(CommandResult(standardOutput: #"[{"name":"vpnaas-l2"},{"name":"vpnaas-pn-public"}]"#), containing: ["netns", "list"])
        let host = NetworkHost(runner: runner, logger: Logger(label: "test"))
        let realiser = NetworkRealiser(host: host, layout: AgentLayout(), logger: Logger(label: "test"))
        _ = try await realiser.apply(HostPlan.build(Fixture.twoSites(), layout: AgentLayout()))
        _ = try await realiser.apply(HostPlan())
        let commands = await runner.commands.map(\.description)
        #expect(!commands.contains { $0.contains("netns del vpnaas-") })
        #expect(commands.contains { $0.contains("-n vpnaas-l2 link del dev brqnet-left") }, "our bridges in it still go")
    }

    @Test func theRecordSurvivesARestartAndReadsTheFirstFormat() throws {
        let path = "/tmp/vpnaas-ownership-\(UInt32.random(in: 0...UInt32.max)).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try #"["qrouter-a"]"#.write(toFile: path, atomically: true, encoding: .utf8)
        var record = Ownership.read(path)
        #expect(record.namespaces == ["qrouter-a"] && record.links.isEmpty)
        record.links = [Ownership.key("vp-1", in: nil), Ownership.key("brq1", in: "vpnaas-l2")]
        record.write(path)
        #expect(Ownership.read(path) == record)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(Ownership.split(Ownership.key("vp-1", in: nil)) == (nil, "vp-1"))
        #expect(Ownership.split(Ownership.key("brq1", in: "vpnaas-l2")) == ("vpnaas-l2", "brq1"))
    }
}

/// Captures log lines for counting.
final class LogLines: Sendable {
    let lines = Mutex<[(Logger.Level, String)]>([])
    var errors: Int { lines.withLock { $0.filter { $0.0 >= .error }.count } }

    func handler() -> some LogHandler { Handler(sink: self) }

    struct Handler: LogHandler {
        let sink: LogLines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            sink.lines.withLock { $0.append((event.level, "\(event.message) \(event.metadata ?? [:])")) }
        }
    }
}
