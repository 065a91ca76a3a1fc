import HTTPTypes
import Hummingbird
import NIOCore

/// Leaves the handler for another page (303 after a POST, as browsers expect).
struct DashboardRedirect: Error {
    var location: String
}

/// A page that ends the request with a status and a message (403 CSRF, 404 unknown object…).
struct DashboardProblem: Error {
    var status: HTTPResponse.Status
    var heading: String
    var message: String
}

enum DashboardHTTP {
    /// Pages are private (per-user) and must not be framed or sniffed.
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(text)
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("Referrer-Policy")!: "same-origin",
            ],
            body: .init(byteBuffer: buffer))
    }

    static func asset(_ text: String, type: String) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(text)
        return Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300"], body: .init(byteBuffer: buffer))
    }

    static func json(_ bytes: [UInt8]) -> Response {
        var buffer = ByteBuffer()
        buffer.writeBytes(bytes)
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"], body: .init(byteBuffer: buffer))
    }

    /// A text file the browser saves rather than shows (a peer configuration: it may hold the PSK, so never cached).
    static func download(_ text: String, filename: String) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString(text)
        let safe = String(filename.map { $0.isLetter || $0.isNumber || "-._".contains($0) ? $0 : "_" })
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/plain; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"\(safe)\"", HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            ],
            body: .init(byteBuffer: buffer))
    }

    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// The posted form (at most 64 KiB: the largest form is a few hundred bytes).
    static func form(_ request: Request) async throws -> FormBody {
        var request = request
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        return FormBody(String(decoding: buffer.readableBytesView, as: UTF8.self))
    }
}
