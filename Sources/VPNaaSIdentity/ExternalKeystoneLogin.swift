import Logging
import VPNaaSDomain

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A user's own session against an external Keystone (`--auth-strategy external`), for the dashboard: the
/// password login, re-scoping to another project, the user's projects and logout, all with the user's own
/// token — the service user is never used on a user's behalf, so Keystone's own policy and lockout apply.
package struct ExternalKeystoneLogin: Sendable {
    /// What a token stands for, read from Keystone's token body.
    package struct Session: Sendable, Equatable {
        package var token: String
        package var identity: Identity
        package var userName: String
        package var projectName: String
        package var expiresAt: Int64
    }

    /// Why a call failed: Keystone refused the credentials or token, or could not be asked.
    package enum Failure: Error, Equatable {
        case refused
        case unavailable
    }

    let base: String
    let logger: Logger
    let session: URLSession

    package init(keystoneURL: String, logger: Logger) {
        var url = keystoneURL
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/v3") { url.removeLast(3) }
        base = url
        self.logger = logger
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 10
        session = URLSession(configuration: config)
    }

    /// Password login in domain Default; scoped to `projectName` when given, else unscoped.
    /// - Returns: the token and, when scoped, its session.
    package func login(user: String, password: String, projectName: String?) async throws(Failure) -> (token: String, session: Session?) {
        var auth: [String: Any] = [
            "identity": [
                "methods": ["password"],
                "password": ["user": ["name": user, "domain": ["id": "default"], "password": password]],
            ]
        ]
        if let projectName { auth["scope"] = ["project": ["name": projectName, "domain": ["id": "default"]]] }
        return try await issue(["auth": auth])
    }

    /// A token scoped to `projectID` from another token of the same user.
    package func rescope(_ token: String, projectID: String) async throws(Failure) -> Session {
        let body: [String: Any] = [
            "auth": [
                "identity": ["methods": ["token"], "token": ["id": token]],
                "scope": ["project": ["id": projectID]],
            ]
        ]
        guard let session = try await issue(body).session else { throw .refused }
        return session
    }

    /// The session of a token (Keystone lets a token's owner validate it).
    package func validate(_ token: String) async throws(Failure) -> Session {
        let (status, data, _) = try await send("GET", "/v3/auth/tokens?nocatalog", token: token, subject: token)
        guard status == 200 else { throw status == 401 || status == 403 || status == 404 ? .refused : .unavailable }
        guard let session = Self.session(token: token, body: data) else { throw .refused }
        return session
    }

    /// Projects the token's user has a role on, by name.
    package func projects(_ token: String) async throws(Failure) -> [(id: String, name: String)] {
        let (status, data, _) = try await send("GET", "/v3/auth/projects", token: token)
        guard status == 200 else { throw status == 401 ? .refused : .unavailable }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let items = root["projects"] as? [[String: Any]]
        else { return [] }
        return items.compactMap { p in
            guard let id = p["id"] as? String else { return nil }
            return (id, p["name"] as? String ?? id)
        }.sorted { $0.name < $1.name }
    }

    /// Revokes the token at Keystone (logout); failures only logged, as the cookie is dropped anyway.
    package func revoke(_ token: String) async {
        do {
            let (status, _, _) = try await send("DELETE", "/v3/auth/tokens", token: token, subject: token)
            if status != 204 { logger.warning("external Keystone answered \(status) to a token revocation") }
        } catch {
            logger.warning("external Keystone unreachable for a token revocation")
        }
    }

    private func issue(_ body: [String: Any]) async throws(Failure) -> (token: String, session: Session?) {
        guard let json = try? JSONSerialization.data(withJSONObject: body) else { throw .refused }
        let (status, data, headers) = try await send("POST", "/v3/auth/tokens?nocatalog", body: json)
        guard status == 201, let token = headers["x-subject-token"] else {
            if status == 401 || status == 400 || status == 403 || status == 404 || status == 429 { throw .refused }
            logger.error("external Keystone answered \(status) to a login")
            throw .unavailable
        }
        return (token, Self.session(token: token, body: data))
    }

    private func send(
        _ method: String, _ path: String, token: String? = nil, subject: String? = nil, body: Data? = nil
    ) async throws(Failure) -> (Int, Data, [String: String]) {
        guard let url = URL(string: base + path) else { throw .unavailable }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let token { request.setValue(token, forHTTPHeaderField: "X-Auth-Token") }
        if let subject { request.setValue(subject, forHTTPHeaderField: "X-Subject-Token") }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = body
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            logger.error("external Keystone at \(base) unreachable: \(error.localizedDescription)")
            throw .unavailable
        }
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http?.allHeaderFields ?? [:] {
            if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
        }
        return (http?.statusCode ?? 0, data, headers)
    }

    /// A project-scoped token body as a session; nil for unscoped or unreadable bodies.
    static func session(token: String, body: Data) -> Session? {
        guard let parsed = ExternalKeystoneValidator.parse(body),
            let root = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let t = root["token"] as? [String: Any]
        else { return nil }
        let user = (t["user"] as? [String: Any])?["name"] as? String ?? parsed.identity.userID ?? ""
        let project = (t["project"] as? [String: Any])?["name"] as? String ?? parsed.identity.projectID
        return Session(
            token: token, identity: parsed.identity, userName: user, projectName: project,
            expiresAt: Int64(parsed.expires.timeIntervalSince1970))
    }
}
