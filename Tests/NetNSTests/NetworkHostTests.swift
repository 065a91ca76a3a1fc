import Logging
import Testing
@testable import NetNS

@Suite struct NetworkHostTests {
    let runner = RecordingRunner()
    var host: NetworkHost { NetworkHost(runner: runner, logger: Logger(label: "test")) }

    @Test func addNamespaceToleratesExistingAndBringsLoopbackUp() async throws {
        await runner.stub(CommandResult(status: 1, standardError: "Cannot create namespace file \"/run/netns/a\": File exists"),
                          containing: ["netns", "add"])
        try await host.addNamespace("a")
        #expect(await runner.commands.map(\.argv) == [
            ["ip", "netns", "add", "a"],
            ["ip", "-n", "a", "link", "set", "dev", "lo", "up"],
        ])
    }

    @Test func deleteNamespaceToleratesMissing() async throws {
        await runner.stub(CommandResult(status: 1, standardError: "Cannot remove namespace file \"/run/netns/a\": No such file or directory"),
                          containing: ["netns", "del"])
        try await host.deleteNamespace("a")
    }

    @Test func otherFailuresAreThrownWithStderr() async throws {
        await runner.stub(CommandResult(status: 2, standardError: "RTNETLINK answers: Operation not permitted\n"),
                          containing: ["link", "add"])
        let error = await #expect(throws: NetNSError.self) { try await host.addBridge("br", in: "a") }
        guard case .commandFailed(let command, let status, let stderr) = error else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(command.argv == ["ip", "-n", "a", "link", "add", "br", "type", "bridge"])
        #expect(status == 2)
        #expect(stderr.contains("Operation not permitted"))
        #expect(error?.description == "command failed (exit 2): ip -n a link add br type bridge: RTNETLINK answers: Operation not permitted")
    }

    @Test func tolerantOperationsSucceedOnTheirSpecificErrors() async throws {
        await runner.stub(CommandResult(status: 1, standardError: "Cannot find device \"gone\""), containing: ["link", "del"])
        await runner.stub(CommandResult(status: 2, standardError: "RTNETLINK answers: No such process"), containing: ["route", "del"])
        await runner.stub(CommandResult(status: 2, standardError: "RTNETLINK answers: File exists"), containing: ["rule", "add"])
        try await host.deleteLink("gone", in: "a")
        try await host.deleteRoute(Route("10.0.0.0/8", type: .blackhole), in: "a")
        try await host.addRule(PolicyRule(family: .inet, priority: 220, table: "220"), in: "a")
        #expect(await runner.commands.count == 3)
    }

    @Test func vethPeerInSameNamespaceNeedsNoNetnsWord() async throws {
        try await host.addVethPair("v1", in: "a", peer: "v2", in: "a")
        #expect(await runner.commands.last?.argv == ["ip", "-n", "a", "link", "add", "v1", "type", "veth", "peer", "name", "v2"])
    }

    /// The `bridge:`/`interface:` mappings: the peer belongs in the agent's own namespace (nil). Run from
    /// inside the router namespace, `peer name` without `netns` would leave it there (the old bug), so the
    /// pair is made from the agent's namespace and the router end is sent into the router namespace.
    @Test func vethPeerInTheAgentsNamespaceIsCreatedFromThere() async throws {
        try await host.addVethPair("qg-1", in: "qrouter-1", peer: "vp-1", in: nil)
        #expect(await runner.commands.last?.argv == ["ip", "link", "add", "vp-1", "type", "veth", "peer", "name", "qg-1", "netns", "qrouter-1"])
        try await host.addVethPair("qg-2", in: "qrouter-2", peer: "vp-2", in: "vpnaas-pn-public")
        #expect(await runner.commands.last?.argv
            == ["ip", "-n", "qrouter-2", "link", "add", "qg-2", "type", "veth", "peer", "name", "vp-2", "netns", "vpnaas-pn-public"])
        try await host.addVethPair("h1", in: nil, peer: "h2", in: nil)
        #expect(await runner.commands.last?.argv == ["ip", "link", "add", "h1", "type", "veth", "peer", "name", "h2"])
    }

    @Test func readsParseJSON() async throws {
        await runner.stub(CommandResult(standardOutput: IPFixtures.linkDetails), containing: ["link", "show"])
        await runner.stub(CommandResult(standardOutput: IPFixtures.addrDev), containing: ["address", "show"])
        await runner.stub(CommandResult(standardOutput: IPFixtures.route6Main), containing: ["route", "show"])
        await runner.stub(CommandResult(standardOutput: IPFixtures.rule4), containing: ["rule", "show"])
        await runner.stub(CommandResult(standardOutput: IPFixtures.netnsList), containing: ["netns", "list"])
        #expect(try await host.links(in: "a").count == 3)
        #expect(try await host.link("va", in: "a")?.master == "br-t")
        #expect(try await host.addresses(of: "br-t", in: "a").count == 3)
        #expect(try await host.routes(in: "a", table: "all", family: .inet6).count == 5)
        #expect(try await host.rules(in: "a", family: .inet).count == 5)
        #expect(try await host.namespaces() == ["nstest-capa", "nstest-capb"])
        #expect(await runner.commands.map(\.argv) == [
            ["ip", "-n", "a", "-d", "-j", "link", "show"],
            ["ip", "-n", "a", "-d", "-j", "link", "show", "dev", "va"],
            ["ip", "-n", "a", "-j", "address", "show", "dev", "br-t"],
            ["ip", "-n", "a", "-6", "-j", "route", "show", "table", "all"],
            ["ip", "-n", "a", "-4", "-j", "rule", "show"],
            ["ip", "-j", "netns", "list"],
        ])
    }

    @Test func missingRouteTableReadsAsEmpty() async throws {
        await runner.stub(CommandResult(status: 2, standardOutput: "[", standardError: "Error: ipv4: FIB table does not exist.\nDump terminated\n"),
                          containing: ["route", "show"])
        #expect(try await host.routes(in: "a", table: "999", family: .inet) == [])
    }

    @Test func sysctlRunsInsideTheNamespace() async throws {
        try await host.setSysctls([("net.ipv6.conf.all.disable_ipv6", "0"), ("net.ipv6.conf.all.forwarding", "1")], in: "r1")
        try await host.setSysctl("net.ipv4.ip_forward", "1", in: "r1")
        #expect(await runner.commands.map(\.argv) == [
            ["ip", "netns", "exec", "r1", "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=0", "net.ipv6.conf.all.forwarding=1"],
            ["ip", "netns", "exec", "r1", "sysctl", "-qw", "net.ipv4.ip_forward=1"],
        ])
        await runner.stub(CommandResult(standardOutput: "1\n"), containing: ["sysctl", "-n"])
        #expect(try await host.sysctl("net.ipv4.ip_forward", in: "r1") == "1")
    }

    @Test func sysctlRejectsInjection() async throws {
        await #expect(throws: NetNSError.self) { try await host.setSysctl("net.ipv4.ip_forward", "1 kernel.x=2", in: "r1") }
        await #expect(throws: NetNSError.self) { try await host.setSysctl("-p", "1", in: "r1") }
        #expect(await runner.commands.isEmpty)
    }

    @Test func nftReplaceIsOneAtomicScript() async throws {
        try await host.replaceNftTable(family: "inet", name: "vpnaas", body: "  chain post { type nat hook postrouting priority 100; }", in: "r1")
        let command = try #require(await runner.commands.last)
        #expect(command.argv == ["ip", "netns", "exec", "r1", "nft", "-f", "-"])
        #expect(command.input == """
            table inet vpnaas {}
            delete table inet vpnaas
            table inet vpnaas {
              chain post { type nat hook postrouting priority 100; }
            }

            """)
        #expect(command.description == "ip netns exec r1 nft -f - <stdin \(command.input!.utf8.count) bytes>")
        try await host.deleteNftTable(family: "inet", name: "vpnaas", in: "r1")
        #expect(await runner.commands.last?.input == "table inet vpnaas {}\ndelete table inet vpnaas\n")
        await #expect(throws: NetNSError.self) { try await host.deleteNftTable(family: "inet", name: "x; flush ruleset", in: "r1") }
    }

    @Test func nftListMissingTableIsNil() async throws {
        await runner.stub(CommandResult(status: 1, standardError: "Error: No such file or directory\nlist table inet x\n"),
                          containing: ["nft", "list"])
        #expect(try await host.nftTable(family: "inet", name: "x", in: "r1") == nil)
    }

    @Test func execNeverThrowsOnExitStatus() async throws {
        await runner.stub(CommandResult(status: 1, standardOutput: "1 packets transmitted, 0 received"), containing: ["ping"])
        let result = try await host.exec(["ping", "-c1", "-W1", "10.0.0.2"], in: "h1")
        #expect(result.status == 1)
        #expect(await runner.commands.last?.argv == ["ip", "netns", "exec", "h1", "ping", "-c1", "-W1", "10.0.0.2"])
    }

    @Test func validationRejectsBadNames() async throws {
        await #expect(throws: NetNSError.self) { try await host.addNamespace("../etc") }
        await #expect(throws: NetNSError.self) { try await host.addBridge("name-longer-than-15", in: "a") }
        await #expect(throws: NetNSError.self) { try await host.addAddress("10.0.0.1", to: "x", in: "a") }
        await #expect(throws: NetNSError.self) { try await host.setLink("x", in: "a", mtu: 10) }
        #expect(await runner.commands.isEmpty)
    }
}

@Suite struct BatchTests {
    let runner = RecordingRunner()
    var host: NetworkHost { NetworkHost(runner: runner, logger: Logger(label: "test")) }

    static let routerSetup: [IPOperation] = [
        .addVethPair("qg-1", peer: "p-1", peerNamespace: "prov"),
        .replaceRoute(Route("default", via: "203.0.113.1")),
        .addAddress("2001:db8::10/64", device: "qg-1"),
        .replaceRoute(Route("default", via: "2001:db8::1")),
        .setLink("qg-1", up: true),
        .addRule(PolicyRule(family: .inet6, priority: 220, table: "220")),
    ]

    @Test func groupsByFamilyKeepingOrder() {
        let groups = NetworkHost.batchGroups(Self.routerSetup)
        #expect(groups.map(\.family) == [nil, .inet, .inet6])
        #expect(groups[0].operations == [Self.routerSetup[0], Self.routerSetup[2], Self.routerSetup[4]])
        #expect(groups[2].operations == [Self.routerSetup[3], Self.routerSetup[5]])
    }

    @Test func commandsAndScripts() async throws {
        try await host.batch(Self.routerSetup, in: "r1")
        let commands = await runner.commands
        #expect(commands.map(\.argv) == [
            ["ip", "-n", "r1", "-force", "-batch", "-"],
            ["ip", "-n", "r1", "-4", "-force", "-batch", "-"],
            ["ip", "-n", "r1", "-6", "-force", "-batch", "-"],
        ])
        #expect(commands[0].input == """
            link add qg-1 type veth peer name p-1 netns prov
            address replace 2001:db8::10/64 dev qg-1 nodad
            link set dev qg-1 up

            """)
        #expect(commands[2].input == "route replace default via 2001:db8::1\nrule add priority 220 from all lookup 220\n")
    }

    @Test func failureParsing() {
        let stderr = """
            RTNETLINK answers: File exists
            Command failed -:1
            Error: ipv4: Address already assigned.
            Command failed -:4

            """
        let failures = NetworkHost.batchFailures(stderr)
        #expect(failures.map(\.line) == [1, 4])
        #expect(failures.map(\.message) == ["RTNETLINK answers: File exists", "Error: ipv4: Address already assigned."])
    }

    @Test func toleratedLinesPass() async throws {
        await runner.stub(CommandResult(status: 1, standardError: "RTNETLINK answers: File exists\nCommand failed -:1\n")) { _ in true }
        try await host.batch([.addBridge("br"), .setLink("br", up: true)], in: "r1")
    }

    @Test func otherFailuresNameTheLine() async throws {
        await runner.stub(CommandResult(status: 1, standardError: "Cannot find device \"nope\"\nCommand failed -:2\n")) { _ in true }
        let error = await #expect(throws: NetNSError.self) {
            try await host.batch([.addBridge("br"), .setLink("nope", up: true)], in: "r1")
        }
        #expect(error?.description.contains("line 2 (link set dev nope up): Cannot find device \"nope\"") == true)
    }

    @Test func failureWithoutLineMarkerIsThrown() async throws {
        await runner.stub(CommandResult(status: 255, standardError: "Cannot open network namespace \"r1\": No such file or directory\n")) { _ in true }
        await #expect(throws: NetNSError.self) { try await host.batch([.addBridge("br")], in: "r1") }
    }
}

@Suite struct RecordingRunnerTests {
    @Test func stubsAreConsumedAndLaterOnesWin() async throws {
        let runner = RecordingRunner()
        await runner.stub(CommandResult(standardOutput: "always"), containing: ["x"])
        await runner.stub(CommandResult(standardOutput: "once"), times: 1, containing: ["x"])
        #expect(try await runner.run(Command("x")).standardOutput == "once")
        #expect(try await runner.run(Command("x")).standardOutput == "always")
        #expect(try await runner.run(Command("y")).standardOutput == "")
        #expect(await runner.commands.count == 3)
    }

    @Test func failingStubThrowsUnlessTolerated() async throws {
        let runner = RecordingRunner()
        await runner.stub(CommandResult(status: 3, standardError: "bad")) { _ in true }
        await #expect(throws: NetNSError.commandFailed(Command("x"), status: 3, stderr: "bad")) { try await runner.run(Command("x")) }
        #expect(try await runner.run(Command("x", toleratesFailure: true)).status == 3)
    }

    @Test func commandDescriptionQuotesAndHidesInput() {
        let command = Command("nft", ["-f", "-", "a b", "it's"], namespace: "r1", input: "secret-free but still hidden")
        #expect(command.description == "ip netns exec r1 nft -f - 'a b' 'it'\\''s' <stdin 28 bytes>")
    }
}

@Suite struct LinkExistenceTests {
    let runner = RecordingRunner()
    var host: NetworkHost { NetworkHost(runner: runner, logger: Logger(label: "test")) }

    @Test func existingVethOfRightKindIsFine() async throws {
        await runner.stub(CommandResult(status: 2, standardError: "RTNETLINK answers: File exists"), containing: ["link", "add"])
        await runner.stub(CommandResult(standardOutput: IPFixtures.linkDetails), containing: ["link", "show"])
        try await host.addVethPair("va", in: "a", peer: "vb", in: "b")
        try await host.addBridge("br-t", in: "a")
    }

    @Test func existingLinkOfOtherKindOrLeftoverPeerIsAnError() async throws {
        await runner.stub(CommandResult(status: 2, standardError: "RTNETLINK answers: File exists"), containing: ["link", "add"])
        await runner.stub(CommandResult(standardOutput: IPFixtures.linkDetails), containing: ["link", "show"])
        let wrongKind = await #expect(throws: NetNSError.self) { try await host.addBridge("va", in: "a") }
        #expect(wrongKind?.description.contains("existing va: veth, wanted bridge") == true)
        // "x" absent in a: the EEXIST came from the peer name in b.
        await #expect(throws: NetNSError.self) { try await host.addVethPair("x", in: "a", peer: "vb", in: "b") }
    }
}
