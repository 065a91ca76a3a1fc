import HTTPTypes
import Hummingbird
import VPNaaSDomain
import VPNaaSIdentity

/// `keystone` and `external` modes: every Neutron request needs a valid `X-Auth-Token`; the identity it
/// stands for (project, user, effective roles) drives Neutron's policy. Missing, forged, expired or
/// revoked tokens are a 401 with Keystone's JSON body, as keystonemiddleware answers.
struct TokenAuthMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let validator: any TokenValidator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        // Discovery, health, the Keystone routes (which authenticate themselves) and Prometheus' `/metrics`
        // (a scraper cannot present hour-long Keystone tokens; bind or firewall it like any metrics port).
        // The dashboard authenticates with its own session cookie (a Keystone token) and CSRF tokens.
        if path == "/" || path == "/healthcheck" || path == "/metrics" || path == "/v3" || path.hasPrefix("/v3/")
            || path == "/dashboard" || path.hasPrefix("/dashboard/")
        {
            // Never let an open path run as the noauth admin the context starts with, should any Neutron
            // route ever be reached through one: a caller without a token has no project and no role.
            var context = context
            context.identity = .anonymous
            return try await next(request, context)
        }
        guard let token = request.headers[KeystoneRoutes.authToken], !token.isEmpty else {
            throw KeystoneError.unauthorized()
        }
        var context = context
        context.identity = try await validator.identity(forToken: token)
        return try await next(request, context)
    }
}
