import HTTPTypes
import Hummingbird
import VPNaaSDomain
import VPNaaSIdentity
import VPNaaSWire

/// The Keystone v3 subset served at `/` and `/v3` in `keystone` mode: version discovery, token
/// issue/validation and the identity administration the `openstack` CLI uses.
struct KeystoneRoutes {
    let identity: IdentityService
    /// `--public-url`: the base URL clients reach us at; nil means "from the request's Host".
    let publicURL: String?

    static let subjectToken = HTTPField.Name("X-Subject-Token")!
    static let authToken = HTTPField.Name("X-Auth-Token")!

    func base(_ request: Request) -> String { publicURL ?? BaseURL.of(request) }

    func register(on router: Hummingbird.Router<APIRequestContext>) {
        router.get("/") { request, _ in
            // 300 Multiple Choices, as Keystone answers at its root.
            JSONResponse.make(["versions": .object(["values": .array([.object(KeystoneRoutes.v3Version(base(request)))])])],
                status: .multipleChoices)
        }
        router.get("/v3") { request, _ in JSONResponse.make(["version": .object(KeystoneRoutes.v3Version(base(request)))]) }

        router.post("/v3/auth/tokens") { request, _ in
            let issued = try await authenticate(try await KeystoneBody.json(request))
            var response = JSONResponse.make(["token": .object(render(issued, base: base(request), catalog: true))], status: .created)
            response.headers[KeystoneRoutes.subjectToken] = issued.token
            return response
        }
        router.get("/v3/auth/tokens") { request, _ in
            let (_, subject) = try await validateSubject(request)
            let noCatalog = QueryString.items(request.uri.query).contains { $0.0 == "nocatalog" }
            var response = JSONResponse.make(["token": .object(render(subject, base: base(request), catalog: !noCatalog))])
            response.headers[KeystoneRoutes.subjectToken] = subject.token
            return response
        }
        router.head("/v3/auth/tokens") { request, _ in
            let (_, subject) = try await validateSubject(request)
            return Response(status: .ok, headers: [KeystoneRoutes.subjectToken: subject.token])
        }
        // Logout (Horizon, `openstack token revoke`): the token stops validating at once, on every replica.
        router.delete("/v3/auth/tokens") { request, _ in
            let me = try await caller(request)
            guard let subject = request.headers[KeystoneRoutes.subjectToken], !subject.isEmpty else {
                throw KeystoneError.badRequest("X-Subject-Token is required.")
            }
            try await identity.revoke(subject, caller: me)
            return Response(status: .noContent)
        }
        router.get("/v3/auth/catalog") { request, _ in
            _ = try await caller(request)
            return JSONResponse.make([
                "catalog": .array(KeystoneRoutes.catalog(base(request)).map(JSONValue.object)),
                "links": .object(["self": .string(base(request) + "/v3/auth/catalog"), "previous": .null, "next": .null]),
            ])
        }
        registerAdmin(on: router)
        registerUserProjects(on: router)
    }

    /// The caller's own token, from `X-Auth-Token`.
    func caller(_ request: Request) async throws -> IssuedToken {
        guard let token = request.headers[KeystoneRoutes.authToken], !token.isEmpty else { throw KeystoneError.unauthorized() }
        return try await identity.validate(token)
    }

    /// A token may always validate itself; other tokens need an admin (or service) caller.
    private func validateSubject(_ request: Request) async throws -> (IssuedToken, IssuedToken) {
        let me = try await caller(request)
        guard let subjectToken = request.headers[KeystoneRoutes.subjectToken], !subjectToken.isEmpty else {
            throw KeystoneError.badRequest("X-Subject-Token is required.")
        }
        if subjectToken == me.token { return (me, me) }
        guard me.isAdmin || me.roles.contains(where: { $0.name == "service" }) else {
            throw KeystoneError.forbidden("identity:validate_token")
        }
        do {
            return (me, try await identity.validate(subjectToken))
        } catch is KeystoneError {
            throw KeystoneError.notFound("token", "")
        }
    }

    /// `POST /v3/auth/tokens` with the `password` or `token` method.
    private func authenticate(_ body: JSONValue) async throws -> IssuedToken {
        guard let auth = body["auth"], let ident = auth["identity"], case .array(let methods)? = ident["methods"] else {
            throw KeystoneError.badRequest("Expecting to find identity in auth.")
        }
        let scope = try KeystoneRoutes.scope(auth["scope"])
        if methods.contains(.string("password")) {
            guard let user = ident["password"]?["user"], let password = user["password"]?.stringValue else {
                throw KeystoneError.badRequest("Expecting to find password in identity.")
            }
            let ref = IdentityService.UserReference(
                id: user["id"]?.stringValue, name: user["name"]?.stringValue, domainID: user["domain"]?["id"]?.stringValue,
                domainName: user["domain"]?["name"]?.stringValue)
            guard ref.id != nil || ref.name != nil else { throw KeystoneError.badRequest("Expecting to find user id or name.") }
            return try await identity.authenticate(user: ref, password: password, scope: scope)
        }
        if methods.contains(.string("token")) {
            guard let token = ident["token"]?["id"]?.stringValue else { throw KeystoneError.badRequest("Expecting to find token id.") }
            return try await identity.authenticate(token: token, scope: scope)
        }
        throw KeystoneError.unauthorized("Attempted to authenticate with an unsupported method.")
    }

    static func scope(_ value: JSONValue?) throws -> IdentityService.Scope? {
        guard let value, value != .null else { return nil }
        if value == .string("unscoped") { return .unscoped }
        if let project = value["project"] {
            if let id = project["id"]?.stringValue { return .projectID(id) }
            if let name = project["name"]?.stringValue {
                return .projectName(name, domainID: project["domain"]?["id"]?.stringValue, domainName: project["domain"]?["name"]?.stringValue)
            }
            throw KeystoneError.badRequest("Expecting to find project id or name in scope.")
        }
        if value["system"] != nil || value["domain"] != nil {
            // Only project scope is served; say so instead of issuing a token the API cannot use.
            throw KeystoneError.unauthorized("Only project-scoped tokens are supported.")
        }
        return nil
    }
}

/// Request bodies on Keystone routes: malformed JSON is Keystone's 400, not Neutron's.
enum KeystoneBody {
    static func json(_ request: Request) async throws -> JSONValue {
        do {
            return try await RequestBody.json(request)
        } catch is VPNaaSError {
            throw KeystoneError.badRequest("Malformed request body: expecting a JSON object.")
        }
    }
}
