import Hummingbird
import NIOCore
import Synchronization
import VPNaaSCore
import VPNaaSDomain
import VPNaaSPlan

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The agent protocol over HTTP, for `vpnaasd agent` on other hosts: the same calls `InProcessAgentServer` serves
/// in-process, for the host named in the request. Admin (service) identities only: the answers carry PSKs.
///
/// - `POST /v2.0/agent-api/heartbeat` `AgentHeartbeat` → 204
/// - `GET /v2.0/agent-api/desired-state?host=H[&since=T]` → `{"version": V, "tag": T', "state": DesiredState}`: the
///   host's routers (and only their PSKs), in id order, and the change counter it reflects; with `since` the tag of
///   the state the agent holds (the last one this replica sent that host): `{"version", "tag", "since": T, "delta":
///   DesiredStateDelta}` instead — only what changed
/// - `GET /v2.0/agent-api/changes?host=H&after=V&wait=S[&live=L]` → `{"version": V', "live": L'}` once the change
///   counter passed `V` or the live agents' digest is no longer `L` (routers move when an agent dies), or after `S`
///   seconds (≤ 30)
/// - `POST /v2.0/agent-api/report?host=H` `VPNStatusReport` → 204
/// - `POST /v2.0/agent-api/events?host=H` `[ConnectionEvent]` → 204
/// - `POST /v2.0/agent-api/runtime?host=H` `{connection id: RuntimeBoard.Entry}` → 204: the host's whole picture
struct AgentAPIRoutes {
    /// The in-process server for one host, and the feed whose version the long-poll follows.
    let server: @Sendable (String) -> InProcessAgentServer
    let feed: ChangeFeed

    /// The last state sent to each host, so the next answer can be a delta from it.
    let sent = SentStates()

    /// The wire encoding: JSON with the domain types' own keys.
    typealias Answer = AgentWire.DesiredStateAnswer
    typealias Changes = AgentWire.Changes

    func register(on v2: RouterGroup<APIRequestContext>) {
        let server = server
        let feed = feed
        v2.post("agent-api/heartbeat") { request, context in
            try Self.requireAgent(context)
            let beat = try await Self.decode(AgentHeartbeat.self, request)
            try Self.checkHost(beat.host)
            try await server(beat.host).heartbeat(beat)
            return JSONResponse.noContent
        }
        v2.get("agent-api/desired-state") { request, context in
            try Self.requireAgent(context)
            let host = try Self.host(request)
            // Read before the state: a change landing in between is seen again at the next poll, never missed.
            let version = feed.version
            let state = try await server(host).desiredState().inIDOrder()
            let since = request.uri.queryParameters["since"].map(String.init)
            let tag = RandomID.uuid()
            let base = sent.swap(host: host, tag: tag, state: state, ifTag: since)
            if let since, let base {
                return try Self.encode(Answer(version: version, tag: tag, since: since, delta: state.delta(from: base)))
            }
            return try Self.encode(Answer(version: version, tag: tag, state: state))
        }
        v2.get("agent-api/changes") { request, context in
            try Self.requireAgent(context)
            let query = request.uri.queryParameters
            guard let after = query["after"].flatMap({ Int(String($0)) }) else {
                throw VPNaaSError.badRequest("the agent API's changes need ?after=VERSION")
            }
            let wait = min(max(query["wait"].flatMap { Double(String($0)) } ?? 0, 0), 30)
            let live = query["live"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            let host = query["host"].map(String.init) ?? "-"
            try Self.checkHost(host)
            let now = await server(host).waitForChange(after: after, live: live, timeout: .milliseconds(Int64(wait * 1000)))
            return try Self.encode(Changes(version: now.version, live: now.live))
        }
        v2.post("agent-api/report") { request, context in
            try Self.requireAgent(context)
            let host = try Self.host(request)
            try await server(host).report(try await Self.decode(VPNStatusReport.self, request))
            return JSONResponse.noContent
        }
        v2.post("agent-api/runtime") { request, context in
            try Self.requireAgent(context)
            let host = try Self.host(request)
            try await server(host).acceptRuntime(try await Self.decode([IPsecSiteConnection.ID: RuntimeBoard.Entry].self, request))
            return JSONResponse.noContent
        }
        v2.post("agent-api/events") { request, context in
            try Self.requireAgent(context)
            let host = try Self.host(request)
            try await server(host).record(try await Self.decode([ConnectionEvent].self, request))
            return JSONResponse.noContent
        }
    }

    static func requireAgent(_ context: APIRequestContext) throws {
        guard context.identity.isAdmin else { throw VPNaaSError.policyNotAuthorized(action: "agent_api") }
    }

    static func host(_ request: Request) throws -> String {
        guard let host = request.uri.queryParameters["host"].map(String.init) else {
            throw VPNaaSError.badRequest("the agent API needs ?host=NAME")
        }
        try checkHost(host)
        return host
    }

    static func checkHost(_ host: String) throws {
        guard !host.isEmpty, host.count <= 255 else { throw VPNaaSError.badRequest("an agent's host name is 1 to 255 characters") }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: 64 << 20)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw VPNaaSError.badRequest("the agent API body is not a valid \(T.self)")
        }
    }

    static func encode(_ value: some Encodable) throws -> Response {
        let data = try JSONEncoder().encode(value)
        var buffer = ByteBuffer()
        buffer.writeBytes(data)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }
}

/// The last desired state this replica sent to each host's agent (one per host, so memory grows with the hosts).
final class SentStates: Sendable {
    private let states = Mutex<[String: (tag: String, state: DesiredState)]>([:])

    /// Records `state` as sent to `host` under `tag`; answers the one it replaces if that was sent as `ifTag`.
    func swap(host: String, tag: String, state: DesiredState, ifTag base: String?) -> DesiredState? {
        states.withLock { states in
            let previous = states[host]
            states[host] = (tag, state)
            guard let base, let previous, previous.tag == base else { return nil }
            return previous.state
        }
    }
}
