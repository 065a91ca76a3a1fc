import HTTPTypes
import Hummingbird
import Logging
import VPNaaSDomain

/// `noauth`: no headers → Neutron's noauth admin in `fake_project_id`; `X-Project-Id` (+ `X-Roles`,
/// `X-User-Id`) → that identity under the normal policy, as Neutron behaves behind keystonemiddleware.
struct NoAuthIdentityMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let project = request.headers[HTTPField.Name("X-Project-Id")!], !project.isEmpty {
            let roles = (request.headers[HTTPField.Name("X-Roles")!] ?? "member")
                .split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
            context.identity = Identity(
                projectID: project, userID: request.headers[HTTPField.Name("X-User-Id")!], roles: Set(roles))
        } else {
            context.identity = .noauthAdmin
        }
        return try await next(request, context)
    }
}

/// Every answer carries a request id, as Neutron's does, so a user can quote it in a report.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = "req-" + RandomID.uuid()
        var context = context
        context.logger[metadataKey: "request.id"] = .string(id)
        context.requestID = id
        var response = try await next(request, context)
        response.headers[HTTPField.Name("X-Openstack-Request-Id")!] = id
        return response
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
