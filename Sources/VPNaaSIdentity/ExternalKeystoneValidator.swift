import Crypto
import Logging
import VPNaaSDomain

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `--auth-strategy external`: checks each `X-Auth-Token` against a real Keystone
/// (`GET /v3/auth/tokens` with a service token, as keystonemiddleware does) and caches the answer until
/// the token expires or `maxCacheSeconds` pass, whichever is first — so a revoked token is honoured
/// within that bound while busy clients cost one Keystone call per token, not per request.
package actor ExternalKeystoneValidator: TokenValidator {
    let base: String
    let username: String
    let password: String
    let project: String
    let logger: Logger
    let maxCacheSeconds: TimeInterval
    let session: URLSession

    /// Keyed by SHA-256 of the token: the cache never holds usable tokens.
    private var cache: [String: (identity: Identity, until: Date)] = [:]
    private var serviceToken: (token: String, expires: Date)?
    package private(set) var keystoneCalls = 0

    package init(keystoneURL: String, username: String, password: String, project: String, logger: Logger, maxCacheSeconds: TimeInterval = 300) {
        var url = keystoneURL
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/v3") { url.removeLast(3) }
        self.base = url
        self.username = username
        self.password = password
        self.project = project
        self.logger = logger
        self.maxCacheSeconds = maxCacheSeconds
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 10
        self.session = URLSession(configuration: config)
    }

    package func identity(forToken token: String) async throws -> Identity {
        let key = SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
        let now = Date()
        if let hit = cache[key], hit.until > now { return hit.identity }
        if cache.count > 10_000 { cache = cache.filter { $0.value.until > now } }
        var (status, body) = try await validate(token, service: try await serviceTokenValue(forceNew: false))
        if status == 401 {
            // Our own service token may have expired or been revoked: renew once.
            (status, body) = try await validate(token, service: try await serviceTokenValue(forceNew: true))
        }
        guard status == 200, let parsed = ExternalKeystoneValidator.parse(body) else {
            if status == 404 || status == 401 || status == 200 { throw KeystoneError.unauthorized() }
            logger.error("external Keystone answered \(status) to a token validation")
            throw KeystoneError(code: 503, title: "Service Unavailable", message: "The identity service is unavailable.")
        }
        cache[key] = (parsed.identity, min(parsed.expires, now.addingTimeInterval(maxCacheSeconds)))
        return parsed.identity
    }

    private func validate(_ token: String, service: String) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: base + "/v3/auth/tokens?nocatalog")!)
        request.setValue(service, forHTTPHeaderField: "X-Auth-Token")
        request.setValue(token, forHTTPHeaderField: "X-Subject-Token")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        return try await send(request)
    }

    private func serviceTokenValue(forceNew: Bool) async throws -> String {
        if !forceNew, let t = serviceToken, t.expires.timeIntervalSinceNow > 60 { return t.token }
        let body: [String: Any] = [
            "auth": [
                "identity": [
                    "methods": ["password"],
                    "password": ["user": ["name": username, "domain": ["id": "default"], "password": password]],
                ],
                "scope": ["project": ["name": project, "domain": ["id": "default"]]],
            ]
        ]
        var request = URLRequest(url: URL(string: base + "/v3/auth/tokens?nocatalog")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (status, data, headers) = try await sendWithHeaders(request)
        guard status == 201, let token = headers["x-subject-token"], let parsed = ExternalKeystoneValidator.parse(data) else {
            logger.error("cannot authenticate the service user '\(username)' at \(base) (HTTP \(status))")
            throw KeystoneError(code: 503, title: "Service Unavailable", message: "The identity service is unavailable.")
        }
        serviceToken = (token, parsed.expires)
        return token
    }

    private func send(_ request: URLRequest) async throws -> (Int, Data) {
        let (s, d, _) = try await sendWithHeaders(request)
        return (s, d)
    }

    private func sendWithHeaders(_ request: URLRequest) async throws -> (Int, Data, [String: String]) {
        keystoneCalls += 1
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            logger.error("external Keystone at \(base) unreachable: \(error.localizedDescription)")
            throw KeystoneError(code: 503, title: "Service Unavailable", message: "The identity service is unavailable.")
        }
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http?.allHeaderFields ?? [:] {
            if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
        }
        return (http?.statusCode ?? 0, data, headers)
    }

    /// Project, user, role names and expiry of a Keystone token body.
    static func parse(_ data: Data) -> (identity: Identity, expires: Date)? {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let token = root["token"] as? [String: Any],
            let project = token["project"] as? [String: Any], let projectID = project["id"] as? String,
            let expiresText = token["expires_at"] as? String, let expires = parseTime(expiresText)
        else { return nil }
        let user = (token["user"] as? [String: Any])?["id"] as? String
        let roles = (token["roles"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        return (Identity(projectID: projectID, userID: user, roles: Set(roles)), expires)
    }

    /// `2026-11-24T17:29:58.000000Z`: Keystone's microseconds are more than ISO8601DateFormatter takes.
    static func parseTime(_ text: String) -> Date? {
        guard text.count >= 19 else { return nil }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: String(text.prefix(19)) + "Z")
    }
}
