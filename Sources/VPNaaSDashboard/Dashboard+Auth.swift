import Foundation
import Hummingbird
import VPNaaSDomain

extension Dashboard {
    func registerAuth<Context: RequestContext>(on group: RouterGroup<Context>) {
        let d = self
        group.get("login") { request, _ in d.loginPage(request: request, message: d.loginMessage(request), user: "", project: "") }
        group.post("login") { request, _ in try await d.login(request) }
        group.post("logout") { request, _ in
            let (session, _) = try await d.postedSession(request)
            await d.identity.logout(token: session.token)
            var response = DashboardHTTP.seeOther("/dashboard/login?reason=logout")
            response.setCookie(d.sessionCookie("", maxAge: 0))
            return response
        }
        group.post("project") { request, _ in
            let (session, form) = try await d.postedSession(request)
            let next: DashboardSession
            do {
                next = try await d.identity.switchProject(token: session.token, projectID: form["project_id"] ?? "")
            } catch DashboardAuthError.invalidCredentials {
                throw DashboardProblem(status: .forbidden, heading: "Not allowed", message: "You have no role on that project.")
            }
            var response = DashboardHTTP.seeOther("/dashboard/")
            response.setCookie(d.sessionCookie(next.token, maxAge: d.cookieLifetime(next)))
            return response
        }
    }

    func loginMessage(_ request: Request) -> String? {
        switch request.uri.queryParameters["reason"].map(String.init) {
        case "expired": "Your session has ended (expired or revoked). Please log in again."
        case "logout": "You have logged out."
        default: nil
        }
    }

    /// The login form carries a CSRF token tied to a short-lived cookie, so no other site can log a
    /// browser in to an account of its choosing.
    func loginPage(request: Request, message: String?, user: String, project: String, status: HTTPResponse.Status = .ok) -> Response {
        let nonce = Dashboard.randomToken()
        var response = DashboardHTTP.html(
            views.page(
                "login", title: "Log in",
                model: ["csrf": nonce, "message": orFalse(message), "user": user, "project": project], chrome: nil),
            status: status)
        response.setCookie(
            Cookie(
                name: Dashboard.loginCookieName, value: nonce, maxAge: 3600, path: "/dashboard/login",
                secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    func login(_ request: Request) async throws -> Response {
        let form = try await DashboardHTTP.form(request)
        let expected = request.cookies[Dashboard.loginCookieName]?.value ?? ""
        guard Dashboard.sameToken(form["csrf"] ?? "", expected) else {
            throw DashboardProblem(
                status: .forbidden, heading: "Form expired",
                message: "The login form was not sent by this browser's login page (missing or wrong CSRF token). Reload it and try again.")
        }
        let user = form["user"] ?? "", project = form["project"] ?? ""
        do {
            let session = try await identity.login(user: user, password: form["password"] ?? "", project: project.isEmpty ? nil : project)
            var response = DashboardHTTP.seeOther("/dashboard/")
            response.setCookie(sessionCookie(session.token, maxAge: cookieLifetime(session)))
            return response
        } catch {
            return loginPage(
                request: request, message: "Invalid user name, password or project.", user: user, project: project, status: .unauthorized)
        }
    }

    func cookieLifetime(_ session: DashboardSession) -> Int {
        max(0, Int(session.expiresAt - Int64(Date.now.timeIntervalSince1970)))
    }

    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<20).map { _ in String(UInt8.random(in: 0...255, using: &g), radix: 16).leftPadded(2) }.joined()
    }
}
