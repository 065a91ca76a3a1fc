import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VPNaaSAPI
import VPNaaSDomain
import VPNaaSStore

/// A store whose writes fail with one StoreError carrying database-looking text (reads work).
private struct FailingWrites: Store {
    let base: SQLiteStore
    let code: StoreError.Code
    static let telltale = "UNIQUE constraint failed: networks.secret_column at /var/lib/vpnaas/vpnaas.sqlite"

    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) async throws -> T) async throws -> T {
        try await base.read(body)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) async throws -> T) async throws -> T {
        throw StoreError(code: code, message: FailingWrites.telltale)
    }
}

/// Constraint violations the database catches become Neutron's generic answers with the right status;
/// the database's text (SQL, table and column names, paths) never reaches a response body.
@Suite struct StoreErrorBodyTests {
    @Test(arguments: [
        (StoreError.Code.uniqueViolation, 409, "Conflict"), (.foreignKeyViolation, 409, "InUse"),
        (.checkViolation, 400, "HTTPBadRequest"), (.notFound, 404, "HTTPNotFound"), (.transactionConflict, 409, "Conflict"),
        (.other, 500, "HTTPInternalServerError"),
    ])
    func storeErrorsAreMappedWithoutTheirText(code: StoreError.Code, status: Int, type: String) async throws {
        let app = try TestAPI.app(store: FailingWrites(base: try SQLiteStore(), code: code))
        try await app.test(.router) { c in
            for (method, path, body) in [
                (HTTPRequest.Method.post, "/v2.0/networks", ["network": ["name": "n"]] as [String: Any]?),
                (.post, "/v2.0/vpn/ikepolicies", ["ikepolicy": ["name": "i"]]),
            ] {
                let reply = try await c.call(method, path, body)
                #expect(reply.status == status, "\(path)")
                #expect(reply.errorType == type, "\(path)")
                let message = reply.errorMessage ?? ""
                #expect(!message.isEmpty)
                for leaked in ["UNIQUE", "constraint failed", "secret_column", "sqlite", "/var/lib"] {
                    #expect(!message.contains(leaked), "\(path): \(message)")
                }
            }
        }
    }
}
