import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VPNaaSAPI
import VPNaaSDomain
import VPNaaSPlan

/// The agent protocol over HTTP (`/v2.0/agent-api/…`), as `vpnaasd agent` on another host speaks it: register,
/// the host's own desired state (only its routers' PSKs), the change long-poll, reports; admins only, not audited.
@Suite struct AgentProtocolAPITests {
    struct Answer: Decodable {
        var version: Int
        var tag: String?
        var state: DesiredState
    }

    struct DeltaAnswer: Decodable {
        var since: String
        var delta: DesiredStateDelta
    }

    static func raw(_ c: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ body: Data? = nil,
                    as caller: Caller = .admin) async throws -> (Int, Data) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let project = caller.project {
            headers[HTTPField.Name("X-Project-Id")!] = project
            headers[HTTPField.Name("X-Roles")!] = caller.roles
        }
        return try await c.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) }) { response in
            (Int(response.status.code), Data(response.body.readableBytesView))
        }
    }

    @Test func remoteAgentsGetTheirOwnRoutersAndWakeOnChanges() async throws {
        try await withTestApp { api in
            let c = api.client
            for host in ["net-1", "net-2"] {
                let beat = try JSONEncoder().encode(AgentHeartbeat(host: host, configurations: ["agent_mode": "legacy"], starting: true))
                #expect(try await Self.raw(c, .post, "/v2.0/agent-api/heartbeat", beat).0 == 204)
            }
            // The walkthrough's router (with its connection and PSK) and a second, bare router.
            let w = try await Walkthrough.run(c, psk: "remote-secret")
            let other = try await c.call(.post, "/v2.0/routers", ["router": ["name": "other"]]).id("router")
            var states: [String: Answer] = [:]
            for host in ["net-1", "net-2"] {
                let (status, data) = try await Self.raw(c, .get, "/v2.0/agent-api/desired-state?host=\(host)")
                #expect(status == 200)
                states[host] = try JSONDecoder().decode(Answer.self, from: data)
            }
            let routers = states.mapValues { Set($0.state.routers.map(\.id)) }
            #expect(routers.values.map(\.count).sorted() == [1, 1])
            #expect(routers["net-1"]!.union(routers["net-2"]!) == [w["router"], other])
            // Only the host of the walkthrough's router holds its connection, with the PSK.
            let owner = routers["net-1"]!.contains(w["router"]) ? "net-1" : "net-2"
            let stranger = owner == "net-1" ? "net-2" : "net-1"
            #expect(states[owner]!.state.connections.map(\.psk) == ["remote-secret"])
            #expect(states[stranger]!.state.connections.isEmpty && states[stranger]!.state.vpnServices.isEmpty)

            // The long-poll: nothing changes → it waits and answers the same version; a write → a newer one.
            let version = states[owner]!.version
            let start = ContinuousClock.now
            let (_, idle) = try await Self.raw(c, .get, "/v2.0/agent-api/changes?after=\(version)&wait=1")
            #expect(start.duration(to: .now) >= .milliseconds(900))
            #expect((try JSONSerialization.jsonObject(with: idle) as? [String: Any])?["version"] as? Int == version)
            async let woken = Self.raw(c, .get, "/v2.0/agent-api/changes?after=\(version)&wait=20")
            try await Task.sleep(for: .milliseconds(200))
            _ = try await c.call(.put, "/v2.0/routers/\(other)", ["router": ["name": "renamed"]])
            let (_, changed) = try await woken
            #expect(((try JSONSerialization.jsonObject(with: changed) as? [String: Any])?["version"] as? Int ?? 0) > version)

            // After a write, an agent holding a state gets only what changed: the renamed router, nothing else.
            let otherHost = owner == "net-1" ? "net-2" : "net-1"
            let (_, deltaData) = try await Self.raw(
                c, .get, "/v2.0/agent-api/desired-state?host=\(otherHost)&since=\(states[otherHost]!.tag ?? "")")
            let delta = try JSONDecoder().decode(DeltaAnswer.self, from: deltaData)
            #expect(delta.since == states[otherHost]!.tag && delta.delta.changed.routers.map(\.name) == ["renamed"])
            #expect(delta.delta.changed.connections.isEmpty && delta.delta.changed.networks.isEmpty && delta.delta.removed.isEmpty)
            #expect(states[otherHost]!.state.applying(delta.delta).routers.map(\.name) == ["renamed"])
            // A tag this replica did not send: the whole state.
            let (_, whole) = try await Self.raw(c, .get, "/v2.0/agent-api/desired-state?host=\(otherHost)&since=unknown")
            #expect(try JSONDecoder().decode(Answer.self, from: whole).state.routers.map(\.name) == ["renamed"])

            // A report from the owner lands in the API's statuses.
            let connection = states[owner]!.state.connections[0]
            let report = VPNStatusReport(connections: [connection.id: .init(status: .active, realised: connection)])
            #expect(try await Self.raw(c, .post, "/v2.0/agent-api/report?host=\(owner)", try JSONEncoder().encode(report)).0 == 204)
            let shown = try await c.call(.get, "/v2.0/vpn/ipsec-site-connections/\(connection.id)")
            #expect(shown.resource("ipsec_site_connection")["status"] as? String == "ACTIVE")

            // Its runtime figures (states, counters, reasons) answer the status sub-resource.
            var runtime = ConnectionRuntime(status: .active)
            runtime.ikeState = "ESTABLISHED"
            runtime.bytesIn = 4242
            let entries = [connection.id: RuntimeBoard.Entry(runtime: runtime, projectID: connection.projectID, observedAt: 1_800_000_000)]
            #expect(try await Self.raw(c, .post, "/v2.0/agent-api/runtime?host=\(owner)", try JSONEncoder().encode(entries)).0 == 204)
            let detail = try await c.call(.get, "/v2.0/vpn/ipsec-site-connections/\(connection.id)/status")
            let status = detail.resource("ipsec_site_connection_status")
            #expect(status["ike_state"] as? String == "ESTABLISHED" && status["bytes_in"] as? Int == 4242, "\(detail.object)")

            // Members may not speak it; a bad body or a missing host is a 400; none of it is audited.
            let member = Caller(project: "project-a")
            #expect(try await Self.raw(c, .get, "/v2.0/agent-api/desired-state?host=net-1", as: member).0 == 403)
            #expect(try await Self.raw(c, .get, "/v2.0/agent-api/desired-state").0 == 400)
            #expect(try await Self.raw(c, .post, "/v2.0/agent-api/report?host=net-1", Data("{\"x\":1}".utf8)).0 == 400)
            let audited = try await c.call(.get, "/v2.0/audit-events?resource_type=agent-api")
            #expect((audited.object["audit_events"] as? [Any])?.isEmpty ?? true)
        }
    }
}
