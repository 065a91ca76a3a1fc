import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import VPNaaSDomain
import VPNaaSIdentity
import VPNaaSStore
import VPNaaSWire

/// The one place errors become HTTP: every non-2xx answer is `{"NeutronError": {type, message, detail}}`,
/// including Hummingbird's own 404s and body-size errors. Anything unexpected is a generic 500 whose
/// details go to the log only.
struct NeutronErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as KeystoneError {
            return NeutronErrorMiddleware.response(for: error)
        } catch let error as HTTPError where request.uri.path.hasPrefix("/v3") {
            // Keystone routes answer in Keystone's shape, including unknown paths and methods.
            return NeutronErrorMiddleware.response(
                for: KeystoneError(code: Int(error.status.code), title: error.status.reasonPhrase, message: error.body ?? error.status.reasonPhrase))
        } catch let error as VPNaaSError {
            return NeutronErrorMiddleware.response(for: error)
        } catch let error as StoreError where error.code == .transactionConflict {
            // PostgreSQL kept refusing the transaction as conflicting even after the store's retries: the
            // client may simply retry, so this is a 409, never a 500.
            context.logger.warning("transaction conflict", metadata: ["http.path": "\(request.uri.path)"])
            return NeutronErrorMiddleware.response(
                for: .neutron(status: 409, type: "Conflict", message: "The request conflicted with concurrent requests; retry it."))
        } catch let error as HTTPError {
            return NeutronErrorMiddleware.response(for: NeutronErrorMiddleware.translate(error))
        } catch let error as any HTTPResponseError {
            return NeutronErrorMiddleware.response(
                for: .neutron(status: error.status.code, type: "HTTPError", message: error.status.reasonPhrase))
        } catch {
            context.logger.error(
                "request failed", metadata: ["error": "\(String(reflecting: error))", "http.path": "\(request.uri.path)"])
            return NeutronErrorMiddleware.response(
                for: .neutron(
                    status: 500, type: "HTTPInternalServerError",
                    message: "Request Failed: internal server error while processing your request."))
        }
    }

    static func translate(_ error: HTTPError) -> VPNaaSError {
        switch error.status {
        case .notFound:
            return .neutron(status: 404, type: "HTTPNotFound", message: "The resource could not be found.")
        case .contentTooLarge:
            return .neutron(
                status: 413, type: "HTTPRequestEntityTooLarge", message: "Request is too large.")
        case .methodNotAllowed:
            return .neutron(status: 405, type: "HTTPMethodNotAllowed", message: "The method is not allowed for this resource.")
        default:
            let type = error.status.code < 500 ? "HTTPBadRequest" : "HTTPInternalServerError"
            return .neutron(status: error.status.code, type: type, message: error.body ?? error.status.reasonPhrase)
        }
    }

    /// `{"error": {"code", "title", "message"}}`; a 401 also names the auth scheme as Keystone does.
    static func response(for error: KeystoneError) -> Response {
        var response = JSONResponse.make(
            ["error": .object(["code": .int(error.code), "title": .string(error.title), "message": .string(error.message)])],
            status: HTTPResponse.Status(code: error.code))
        if error.code == 401 { response.headers[HTTPField.Name("WWW-Authenticate")!] = "Keystone uri=\"/v3\"" }
        return response
    }

    static func response(for error: VPNaaSError) -> Response {
        JSONResponse.make(error.body, status: HTTPResponse.Status(code: error.neutron.status))
    }
}

/// JSON responses with Neutron's content type.
enum JSONResponse {
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let bytes = value.serialized()
        var buffer = ByteBuffer()
        buffer.writeBytes(bytes)
        return Response(
            status: status, headers: [.contentType: "application/json", .contentLength: String(bytes.count)],
            body: .init(byteBuffer: buffer))
    }

    static func make(_ object: JSONObject, status: HTTPResponse.Status = .ok) -> Response {
        make(.object(object), status: status)
    }

    static var noContent: Response {
        Response(status: .noContent, headers: [:], body: .init())
    }
}
