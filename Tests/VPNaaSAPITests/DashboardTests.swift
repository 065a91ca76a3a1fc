import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import VPNaaSAPI
import VPNaaSWire

/// The dashboard through the real application in keystone mode: login, CSRF, cookies, forms that show the
/// API's own messages, policy (another project's object is a 404 page), logout revoking the token.
@Suite struct DashboardTests {
    struct Page {
        var status: Int
        var headers: HTTPFields
        var html: String
        var location: String? { headers[.location] }
        var csrf: String? {
            guard let r = html.range(of: #"name="csrf" value=""#) else { return nil }
            return String(html[r.upperBound...].prefix { $0 != "\"" })
        }
        func cookie(_ name: String) -> String? {
            headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
        }
    }

    static func get(_ client: any TestClientProtocol, _ uri: String, cookies: [String] = []) async throws -> Page {
        try await send(client, .get, uri, cookies: cookies, form: nil)
    }

    static func send(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, cookies: [String], form: String?) async throws -> Page {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty { headers[.cookie] = cookies.joined(separator: "; ") }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form)
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            #expect(response.status.code < 500, "\(method) \(uri)")
            return Page(status: Int(response.status.code), headers: response.headers, html: String(buffer: response.body))
        }
    }

    /// Logs in through the form and returns the session cookie pair (`vpnaas_session=…`).
    static func login(_ client: any TestClientProtocol, _ user: String, _ password: String, project: String = "") async throws -> String {
        let page = try await get(client, "/dashboard/login")
        let nonce = try #require(page.cookie("vpnaas_login")).split(separator: ";")[0]
        let csrf = try #require(page.csrf)
        let answer = try await send(
            client, .post, "/dashboard/login", cookies: [String(nonce)], form: "csrf=\(csrf)&user=\(user)&password=\(password)&project=\(project)")
        #expect(answer.status == 303, "login \(user): \(answer.html)")
        let cookie = try #require(answer.cookie("vpnaas_session"))
        return String(cookie.split(separator: ";")[0])
    }

    @Test func loginCookiesCSRFFormsPolicyAndLogout() async throws {
        var configuration = APIConfiguration(port: 0, authStrategy: .keystone, database: .sqliteInMemory)
        configuration.identity.bootstrapPassword = testAdminPassword
        configuration.identity.passwordRounds = 1000
        let app = try await buildApplication(configuration)
        try await app.test(.router) { client in
            // Not logged in: the login page.
            let anonymous = try await Self.get(client, "/dashboard/")
            #expect(anonymous.status == 303)
            #expect(anonymous.location == "/dashboard/login")

            // The login form without its CSRF token is refused.
            let forged = try await Self.send(client, .post, "/dashboard/login", cookies: [], form: "user=admin&password=\(testAdminPassword)")
            #expect(forged.status == 403)

            // Wrong password: the form again, with one message.
            let page = try await Self.get(client, "/dashboard/login")
            let nonce = String(try #require(page.cookie("vpnaas_login")).split(separator: ";")[0])
            let wrong = try await Self.send(client, .post, "/dashboard/login", cookies: [nonce], form: "csrf=\(page.csrf!)&user=admin&password=nope")
            #expect(wrong.status == 401)
            #expect(wrong.html.contains("Invalid user name, password or project."))

            // Logged in: the cookie is HttpOnly, SameSite=Strict, scoped to the dashboard.
            let loginPage = try await Self.get(client, "/dashboard/login")
            let loginNonce = String(try #require(loginPage.cookie("vpnaas_login")).split(separator: ";")[0])
            let ok = try await Self.send(
                client, .post, "/dashboard/login", cookies: [loginNonce], form: "csrf=\(loginPage.csrf!)&user=admin&password=\(testAdminPassword)&project=admin")
            #expect(ok.status == 303)
            let setCookie = try #require(ok.cookie("vpnaas_session"))
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
            #expect(setCookie.contains("Path=/dashboard"))
            #expect(!setCookie.contains("Secure"))
            let admin = String(setCookie.split(separator: ";")[0])

            let overview = try await Self.get(client, "/dashboard/", cookies: [admin])
            #expect(overview.status == 200)
            #expect(overview.html.contains("<h1>Overview</h1>"))
            #expect(overview.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)

            // A form post without the CSRF token: 403.
            let noCSRF = try await Self.send(client, .post, "/dashboard/ikepolicies", cookies: [admin], form: "name=x")
            #expect(noCSRF.status == 403)

            // The API's own message, next to the field it is about.
            let form = try await Self.get(client, "/dashboard/ikepolicies/new", cookies: [admin])
            let csrf = try #require(form.csrf)
            let refused = try await Self.send(
                client, .post, "/dashboard/ikepolicies", cookies: [admin], form: "csrf=\(csrf)&name=p1&auth_algorithm=sha1&lifetime.value=3600")
            #expect(refused.status == 400)
            #expect(refused.html.contains(#"id="f-auth_algorithm-error""#))
            #expect(refused.html.contains("Invalid input for auth_algorithm."))

            let created = try await Self.send(
                client, .post, "/dashboard/ikepolicies", cookies: [admin],
                form: "csrf=\(csrf)&name=p1&auth_algorithm=sha256&encryption_algorithm=aes-256&ike_version=v2&pfs=group14&lifetime.value=3600&lifetime.units=seconds")
            #expect(created.status == 303)
            let location = try #require(created.location)
            #expect(location.hasPrefix("/dashboard/ikepolicies/"))
            let detail = try await Self.get(client, location, cookies: [admin])
            #expect(detail.status == 200)
            #expect(detail.html.contains("group14"))

            // Edit, then delete.
            let edited = try await Self.send(client, .post, location, cookies: [admin], form: "csrf=\(csrf)&name=p1-renamed&description=&lifetime.value=7200")
            #expect(edited.status == 303)
            #expect(try await Self.get(client, location, cookies: [admin]).html.contains("p1-renamed"))

            // Unknown object: a 404 page, not JSON.
            let missing = try await Self.get(client, "/dashboard/ikepolicies/00000000-0000-0000-0000-000000000000", cookies: [admin])
            #expect(missing.status == 404)
            #expect(missing.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(missing.html.contains("could not be found"))

            // A member of another project sees a 404 page for the admin project's policy.
            let api = APIClient(client: client)
            let adminToken = try await KeystoneAPITests.login(api, "admin", testAdminPassword, project: "admin")
            try await KeystoneAPITests.tenant(api, admin: adminToken, "tenant-x")
            let member = try await Self.login(client, "tenant-x", "pw-tenant-x")
            let foreign = try await Self.get(client, location, cookies: [member])
            #expect(foreign.status == 404)
            let memberList = try await Self.get(client, "/dashboard/ikepolicies", cookies: [member])
            #expect(!memberList.html.contains("p1-renamed"))

            let deleted = try await Self.send(client, .post, location + "/delete", cookies: [admin], form: "csrf=\(csrf)")
            #expect(deleted.status == 303)
            #expect(try await Self.get(client, location, cookies: [admin]).status == 404)

            // Logout revokes the token: the old cookie now leads to the login page with a message.
            let logout = try await Self.send(client, .post, "/dashboard/logout", cookies: [admin], form: "csrf=\(csrf)")
            #expect(logout.status == 303)
            let after = try await Self.get(client, "/dashboard/", cookies: [admin])
            #expect(after.status == 303)
            #expect(after.location == "/dashboard/login?reason=expired")
            let message = try await Self.get(client, "/dashboard/login?reason=expired")
            #expect(message.html.contains("Your session has ended"))
        }
    }

    @Test func keystoneTokenRevocation() async throws {
        try await withKeystoneApp { api in
            let token = try await KeystoneAPITests.login(api, "admin", testAdminPassword, project: "admin")
            let other = try await KeystoneAPITests.login(api, "admin", testAdminPassword, project: "admin")
            let h: HTTPFields = [KeystoneAPITests.authToken: token, KeystoneAPITests.subjectToken: other]
            #expect(try await api.send(.delete, "/v3/auth/tokens", headers: h).status == 204)
            #expect(try await api.send(.get, "/v2.0/networks", headers: KeystoneAPITests.auth(other)).status == 401)
            #expect(try await api.send(.get, "/v2.0/networks", headers: KeystoneAPITests.auth(token)).status == 200)
            // Revoking it again: it no longer exists.
            #expect(try await api.send(.delete, "/v3/auth/tokens", headers: h).status == 404)
        }
    }
}

/// What Horizon needs from the identity and network APIs beyond the CLI's.
@Suite struct HorizonSupportTests {
    @Test func unscopedTokensProjectListsAndAbsentCollections() async throws {
        try await withKeystoneApp { api in
            let admin = try await KeystoneAPITests.login(api, "admin", testAdminPassword, project: "admin")
            let (projectID, userID) = try await KeystoneAPITests.tenant(api, admin: admin, "horizon-member")
            // An explicitly unscoped token even though the user has a default project.
            var body = KeystoneAPITests.passwordBody("horizon-member", "pw-horizon-member", project: "x")
            if case .object(var outer) = body, case .object(var auth)? = outer["auth"] {
                auth["scope"] = .string("unscoped")
                outer["auth"] = .object(auth)
                body = .object(outer)
            }
            let unscoped = try await api.send(.post, "/v3/auth/tokens", body)
            #expect(unscoped.status == 201)
            #expect(unscoped["token"]?["project"] == nil)
            let token = try #require(unscoped.headers[KeystoneAPITests.subjectToken])
            let mine = try await api.send(.get, "/v3/auth/projects", headers: KeystoneAPITests.auth(token))
            #expect(mine["projects"]?[0]?["id"]?.stringValue == projectID)
            let byUser = try await api.send(.get, "/v3/users/\(userID)/projects", headers: KeystoneAPITests.auth(token))
            #expect(byUser.status == 200)
            #expect(byUser["projects"]?[0]?["id"]?.stringValue == projectID)
            // Someone else's list: the user themself or an admin only.
            let adminID = try #require(try await api.send(.get, "/v3/users?name=admin", headers: KeystoneAPITests.auth(admin))["users"]?[0]?["id"]?.stringValue)
            #expect(try await api.send(.get, "/v3/users/\(adminID)/projects", headers: KeystoneAPITests.auth(token)).status == 403)
            #expect(try await api.send(.get, "/v3/users/\(userID)/projects", headers: KeystoneAPITests.auth(admin)).status == 200)
            #expect(try await api.send(.get, "/v3/auth/domains", headers: KeystoneAPITests.auth(token))["domains"] == .array([]))
            // The unscoped token cannot reach Neutron; a scoped one sees empty absent collections.
            #expect(try await api.send(.get, "/v2.0/networks", headers: KeystoneAPITests.auth(token)).status == 401)
            let sg = try await api.send(.get, "/v2.0/security-groups", headers: KeystoneAPITests.auth(admin))
            #expect(sg["security_groups"] == .array([]))
            #expect(try await api.send(.get, "/v2.0/floatingips", headers: KeystoneAPITests.auth(admin))["floatingips"] == .array([]))
            #expect(try await api.send(.get, "/v2.0/floatingips/x", headers: KeystoneAPITests.auth(admin)).errorType == "FloatingIPNotFound")
        }
    }
}
