import Crypto
import HTTPTypes
import Hummingbird
import VPNaaSDomain

extension Dashboard {
    static let sessionCookieName = "vpnaas_session"
    static let loginCookieName = "vpnaas_login"

    /// The session cookie: HttpOnly, SameSite=Strict, only sent to `/dashboard`, Secure over TLS.
    func sessionCookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: Dashboard.sessionCookieName, value: value, maxAge: maxAge, path: "/dashboard",
            secure: configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// The CSRF token of a session: derived from the (HttpOnly, never readable by scripts) session token,
    /// so a forged cross-site form cannot know it and the server keeps no state for it.
    static func csrf(for token: String) -> String {
        let digest = SHA256.hash(data: Array(("vpnaas-dashboard-csrf:" + token).utf8))
        return digest.map { String($0, radix: 16).leftPadded(2) }.joined().prefix(40).description
    }

    /// Constant-time comparison of a submitted CSRF token.
    static func sameToken(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    /// The logged-in session, or a redirect to the login page.
    func session(_ request: Request) async throws -> DashboardSession {
        guard let token = request.cookies[Dashboard.sessionCookieName]?.value, !token.isEmpty else {
            throw DashboardRedirect(location: "/dashboard/login")
        }
        do {
            return try await identity.session(token: token)
        } catch {
            throw DashboardAuthError.sessionEnded
        }
    }

    /// The session of a form post, after checking its CSRF token (403 without it).
    func postedSession(_ request: Request) async throws -> (DashboardSession, FormBody) {
        let session = try await session(request)
        let form = try await DashboardHTTP.form(request)
        guard Dashboard.sameToken(form["csrf"] ?? "", Dashboard.csrf(for: session.token)) else {
            throw DashboardProblem(
                status: .forbidden, heading: "Form expired",
                message: "This form was not sent by this dashboard session (missing or wrong CSRF token). Reload the page and try again.")
        }
        return (session, form)
    }

    static let navigation: [(href: String, label: String)] = [
        ("/dashboard/", "Overview"), ("/dashboard/new-vpn", "New VPN"), ("/dashboard/networks", "Networks"),
        ("/dashboard/subnets", "Subnets"), ("/dashboard/routers", "Routers"), ("/dashboard/ikepolicies", "IKE policies"),
        ("/dashboard/ipsecpolicies", "IPsec policies"), ("/dashboard/vpnservices", "VPN services"),
        ("/dashboard/endpoint-groups", "Endpoint groups"), ("/dashboard/ipsec-site-connections", "Connections"),
    ]

    /// The header's model: navigation, project switcher, user, logout.
    func chrome(_ session: DashboardSession, current: String) -> [String: Any] {
        var projects = session.projects
        if !projects.contains(session.project) { projects.insert(session.project, at: 0) }
        return [
            "csrf": Dashboard.csrf(for: session.token), "userName": session.userName, "isAdmin": session.identity.isAdmin,
            "projects": projects.map { ["id": $0.id, "name": $0.name, "selected": $0.id == session.project.id] as [String: Any] },
            "nav": Dashboard.navigation.map { ["href": $0.href, "label": $0.label, "current": $0.href == current] as [String: Any] },
        ]
    }

    /// A full page for a logged-in user.
    func page(_ template: String, title: String, session: DashboardSession, current: String, model: [String: Any], status: HTTPResponse.Status = .ok, flash: String? = nil) -> Response {
        var model = model
        model["csrf"] = Dashboard.csrf(for: session.token)
        model["showProject"] = session.identity.isAdmin
        return DashboardHTTP.html(
            views.page(template, title: title, model: model, chrome: chrome(session, current: current), flash: flash), status: status)
    }

    func problemPage(_ problem: DashboardProblem, request: Request) async -> Response {
        var chrome: [String: Any]?
        if let token = request.cookies[Dashboard.sessionCookieName]?.value, !token.isEmpty,
            let session = try? await identity.session(token: token)
        {
            chrome = self.chrome(session, current: "")
        }
        let html = views.page(
            "error", title: problem.heading, model: ["heading": problem.heading, "message": problem.message], chrome: chrome)
        return DashboardHTTP.html(html, status: problem.status)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
