import Logging
import Synchronization
import VPNaaSDomain
import VPNaaSPlan

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

/// The agent protocol spoken to a remote server (`vpnaasd agent --server URL`): the agent API under
/// `/v2.0/agent-api/`, authenticated with a Keystone token of an admin (service) user, renewed when the server
/// refuses it. Changes arrive by long-poll (`changes()`), so a pass runs when something changed, not on a timer.
package final class HTTPAgentServer: AgentServer {
    /// Who the agent logs in as (Keystone password auth, domain Default).
    package struct Credentials: Sendable {
        package var username: String
        package var password: String
        package var project: String

        package init(username: String, password: String, project: String) {
            self.username = username
            self.password = password
            self.project = project
        }
    }

    /// The errors a call can end in; the server's own text is never carried (it may name internals).
    package enum Failure: Error, CustomStringConvertible {
        case unreachable(String)
        case refused(status: Int)
        case badAnswer(String)

        package var description: String {
            switch self {
            case .unreachable(let why): "server unreachable: \(why)"
            case .refused(let status): "server answered \(status)"
            case .badAnswer(let what): "server answer not understood: \(what)"
            }
        }
    }

    typealias Answer = AgentWire.DesiredStateAnswer
    typealias Version = AgentWire.Changes

    let base: String
    let authBase: String
    let host: String
    let credentials: Credentials?
    let logger: Logger
    let session: URLSession
    private let token = Mutex<String?>(nil)
    /// The server's change counter as of the last desired state fetched (-1: none yet).
    private let seen = Mutex(-1)
    /// The desired state last fetched and the server's tag for it: the next fetch asks for what changed since.
    private let held = Mutex<(tag: String, state: DesiredState)?>(nil)
    /// The server's digest of the live agents at the last long-poll (nil: none yet): a change in it moves routers.
    private let live = Mutex<String?>(nil)
    /// How long one long-poll waits on the server.
    let pollSeconds: Int
    /// How long any other call may take: a server out of reach must show as a failed pass soon (the agent fences
    /// itself after `agent_fence_time` without one succeeding).
    let callTimeout: Double

    /// - Parameters:
    ///   - server: the API's base URL (`http://controller:9696`).
    ///   - authURL: Keystone's (default: the server's own embedded one).
    package init(
        server: String, authURL: String? = nil, host: String, credentials: Credentials?, pollSeconds: Int = 25,
        callTimeout: Double = 5, logger: Logger
    ) {
        self.callTimeout = callTimeout
        func trimmed(_ s: String) -> String {
            var s = s
            while s.hasSuffix("/") { s.removeLast() }
            return s
        }
        base = trimmed(server)
        var auth = trimmed(authURL ?? server)
        if auth.hasSuffix("/v3") { auth.removeLast(3) }
        authBase = auth
        self.host = host
        self.credentials = credentials
        self.pollSeconds = pollSeconds
        self.logger = logger
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = TimeInterval(pollSeconds + 15)
        session = URLSession(configuration: config)
    }

    var hostQuery: String { "host=" + (host.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? host) }

    // MARK: AgentServer

    /// The host's desired state: after the first fetch, only what changed since (a delta from the state held), the
    /// whole state when the server no longer knows the one held (another replica answered, or it restarted).
    package func desiredState() async throws -> DesiredState {
        let base = held.withLock { $0 }
        let since = base.map { "&since=\($0.tag)" } ?? ""
        let answer = try JSONDecoder().decode(Answer.self, from: try await call("GET", "/v2.0/agent-api/desired-state?\(hostQuery)\(since)"))
        let state: DesiredState
        if let delta = answer.delta, let base, answer.since == base.tag {
            state = base.state.applying(delta)
        } else if let whole = answer.state {
            state = whole
        } else {
            held.withLock { $0 = nil }
            throw Failure.badAnswer("a desired state without a state or a delta from the one held")
        }
        held.withLock { $0 = answer.tag.map { ($0, state) } }
        seen.withLock { $0 = answer.version }
        return state
    }

    package func report(_ report: VPNStatusReport) async throws {
        _ = try await call("POST", "/v2.0/agent-api/report?\(hostQuery)", body: try JSONEncoder().encode(report))
    }

    package func record(_ events: [ConnectionEvent]) async throws {
        _ = try await call("POST", "/v2.0/agent-api/events?\(hostQuery)", body: try JSONEncoder().encode(events))
    }

    package func publish(_ entries: [IPsecSiteConnection.ID: RuntimeBoard.Entry]) async throws {
        _ = try await call("POST", "/v2.0/agent-api/runtime?\(hostQuery)", body: try JSONEncoder().encode(entries))
    }

    package func heartbeat(_ beat: AgentHeartbeat) async throws {
        var beat = beat
        beat.host = host
        _ = try await call("POST", "/v2.0/agent-api/heartbeat", body: try JSONEncoder().encode(beat))
    }

    /// One element per change on the server: each `next()` long-polls until the server's change counter moves
    /// past the one of the last desired state fetched, or the set of live agents changes (a failed poll is retried
    /// after a second).
    package func changes() -> AsyncStream<Void> {
        AsyncStream { [self] in
            while !Task.isCancelled {
                let after = seen.withLock { $0 }
                let known = live.withLock { $0 }
                do {
                    let data = try await call(
                        "GET", "/v2.0/agent-api/changes?\(hostQuery)&after=\(after)&wait=\(pollSeconds)&live=\(known ?? "")",
                        timeout: Double(pollSeconds + 10))
                    let answer = try JSONDecoder().decode(Version.self, from: data)
                    live.withLock { $0 = answer.live }
                    if answer.version != after || (known != nil && answer.live != known) { return () }
                } catch {
                    try? await Task.sleep(for: .seconds(1))
                }
            }
            return nil
        }
    }

    // MARK: HTTP

    /// One request with the current token; on 401 a new token and one more try.
    func call(_ method: String, _ path: String, body: Data? = nil, timeout: Double? = nil) async throws -> Data {
        var renewed = false
        while true {
            let current = try await currentToken()
            let (status, data, _) = try await send(method, base + path, token: current, body: body, timeout: timeout ?? callTimeout)
            if status == 401, credentials != nil, !renewed {
                token.withLock { $0 = nil }
                renewed = true
                continue
            }
            guard (200..<300).contains(status) else { throw Failure.refused(status: status) }
            return data
        }
    }

    func currentToken() async throws -> String? {
        if let t = token.withLock({ $0 }) { return t }
        guard let credentials else { return nil }
        let body: [String: Any] = [
            "auth": [
                "identity": [
                    "methods": ["password"],
                    "password": [
                        "user": ["name": credentials.username, "domain": ["id": "default"], "password": credentials.password]
                    ],
                ],
                "scope": ["project": ["name": credentials.project, "domain": ["id": "default"]]],
            ]
        ]
        let (status, _, headers) = try await send(
            "POST", authBase + "/v3/auth/tokens", token: nil, body: try JSONSerialization.data(withJSONObject: body), timeout: callTimeout)
        guard status == 201, let issued = headers["x-subject-token"] else {
            logger.error("agent login refused", metadata: ["status": "\(status)", "user": "\(credentials.username)"])
            throw Failure.refused(status: status)
        }
        token.withLock { $0 = issued }
        return issued
    }

    func send(_ method: String, _ url: String, token: String?, body: Data?, timeout: Double) async throws -> (Int, Data, [String: String]) {
        guard let target = URL(string: url) else { throw Failure.badAnswer("bad URL \(url)") }
        var request = URLRequest(url: target)
        request.timeoutInterval = timeout
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let token { request.setValue(token, forHTTPHeaderField: "X-Auth-Token") }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = body
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw Failure.unreachable(error.localizedDescription)
        }
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http?.allHeaderFields ?? [:] {
            if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
        }
        return (http?.statusCode ?? 0, data, headers)
    }
}
