import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import VPNaaSCore
import VPNaaSDomain
import VPNaaSIdentity
import VPNaaSWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Records every successful write (POST, PUT, PATCH, DELETE answered 2xx) in the audit trail and the
/// log: who, when, which request, what resource, and the *names* of the attributes sent — never
/// their values, so PSKs and passwords stay out. Sits inside the auth middleware (it needs the
/// identity) and outside the routes (it sees only answers, never thrown errors).
struct AuditMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let trail: AuditTrail
    /// Identity routes authenticate themselves, so the context holds no caller there: the embedded
    /// Keystone tells who the token belongs to.
    var keystone: (any TokenValidator)?

    static let writeMethods: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.writeMethods.contains(request.method), let target = AuditTarget(path: request.uri.path, method: request.method)
        else {
            return try await next(request, context)
        }
        var request = request
        let body = try await request.collectBody(upTo: RequestBody.maxBytes)
        var response = try await next(request, context)
        guard (200..<300).contains(Int(response.status.code)) else { return response }
        var resourceID = target.resourceID
        if resourceID == nil {
            // A create names its new object only in the answer: read it back, then resend the same bytes.
            let collector = BodyCollector()
            try await response.body.write(collector)
            response.body = ResponseBody(byteBuffer: collector.buffer)
            resourceID = Self.createdID(collector.buffer)
        }
        var caller = context.identity
        if caller.userID == nil, let keystone, let token = request.headers[KeystoneRoutes.authToken],
            let known = try? await keystone.identity(forToken: token)
        {
            caller = known
        }
        let event = AuditEvent(
            id: RandomID.uuid(), timeMillis: Int64((Date().timeIntervalSince1970 * 1000).rounded()),
            projectID: caller.projectID, userID: caller.userID, requestID: context.requestID,
            method: request.method.rawValue, path: request.uri.path, resourceType: target.resourceType,
            resourceID: resourceID, action: target.action, status: Int(response.status.code),
            attributes: Self.attributeNames(body))
        do {
            try await trail.record(event, logger: context.logger)
        } catch {
            // The write itself is committed; failing its answer now would invite a duplicate retry.
            context.logger.error("audit event not stored", metadata: ["error": "\(String(reflecting: error))"])
        }
        return response
    }

    /// Keys of the single envelope (`{"router": {…}}` → the router's keys), else the top-level keys
    /// (`add_router_interface`'s `{"subnet_id": …}`). Names only.
    static func attributeNames(_ body: ByteBuffer) -> [String] {
        guard body.readableBytes > 0, let json = try? JSONValue.parse(body.readableBytesView), case .object(let top) = json
        else { return [] }
        if top.fields.count == 1, case .object(let inner) = top.fields[0].value { return inner.keys.sorted() }
        return top.keys.sorted()
    }

    /// `{"<singular>": {"id": …}}` → the id.
    static func createdID(_ body: ByteBuffer) -> String? {
        guard let json = try? JSONValue.parse(body.readableBytesView), case .object(let top) = json, top.fields.count == 1 else {
            return nil
        }
        return top.fields[0].value["id"]?.stringValue
    }
}

/// A response body read into memory (answers of writes are small JSON documents).
private final class BodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()
    func write(_ part: ByteBuffer) async throws { buffer.writeImmutableBuffer(part) }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// What a write path addresses: `/v2.0/vpn/ipsec-site-connections/ID` → (`ipsec_site_connection`,
/// ID, `update`); `/v2.0/routers/ID/add_router_interface` → (`router`, ID, `add_router_interface`);
/// `/v3/projects/P/users/U/roles/R` → (`role_assignment`, `P:U:R`, `create`). nil for token requests,
/// which change nothing an auditor asks about.
struct AuditTarget: Equatable {
    var resourceType: String
    var resourceID: String?
    var action: String

    static let singular: [String: String] = [
        "networks": "network", "subnets": "subnet", "ports": "port", "routers": "router",
        "ikepolicies": "ikepolicy", "ipsecpolicies": "ipsecpolicy", "vpnservices": "vpnservice",
        "endpoint-groups": "endpoint_group", "ipsec-site-connections": "ipsec_site_connection", "quotas": "quota",
        "projects": "project", "users": "user", "roles": "role", "domains": "domain",
    ]

    init?(path: String, method: HTTPRequest.Method) {
        var segments = path.split(separator: "/").map(String.init)
        guard let version = segments.first, version == "v2.0" || version == "v3" else { return nil }
        segments.removeFirst()
        if version == "v2.0", segments.first == "vpn" { segments.removeFirst() }
        if version == "v3", segments.first == "auth" { return nil }
        guard let collection = segments.first else { return nil }
        // Agents' own reports (heartbeats, statuses, events) change nothing an auditor asks about.
        if version == "v2.0", collection == "agent-api" { return nil }
        let verb: String =
            switch method {
            case .post: "create"
            case .delete: "delete"
            default: "update"
            }
        if version == "v3", segments.count == 6, segments[0] == "projects", segments[2] == "users", segments[4] == "roles" {
            resourceType = "role_assignment"
            resourceID = "\(segments[1]):\(segments[3]):\(segments[5])"
            action = method == .delete ? "delete" : "create"
            return
        }
        resourceType = Self.singular[collection] ?? collection
        resourceID = segments.count > 1 ? segments[1] : nil
        action = segments.count > 2 ? segments[2...].joined(separator: "/") : verb
    }
}
