/// A Keystone-shaped failure: the API renders it as `{"error": {"code", "title", "message"}}`, which
/// keystoneauth and openstacksdk both print as "<message> (HTTP <code>)".
package struct KeystoneError: Error, Equatable, Sendable {
    package var code: Int
    package var title: String
    package var message: String

    package init(code: Int, title: String, message: String) {
        self.code = code
        self.title = title
        self.message = message
    }

    package static func unauthorized(_ message: String = "The request you have made requires authentication.") -> KeystoneError {
        KeystoneError(code: 401, title: "Unauthorized", message: message)
    }

    package static func forbidden(_ action: String) -> KeystoneError {
        KeystoneError(code: 403, title: "Forbidden", message: "You are not authorized to perform the requested action: \(action).")
    }

    package static func notFound(_ kind: String, _ id: String) -> KeystoneError {
        KeystoneError(code: 404, title: "Not Found", message: "Could not find \(kind): \(id).")
    }

    package static func badRequest(_ message: String) -> KeystoneError {
        KeystoneError(code: 400, title: "Bad Request", message: message)
    }

    package static func conflict(_ message: String) -> KeystoneError {
        KeystoneError(code: 409, title: "Conflict", message: "Conflict occurred attempting to store \(message).")
    }
}
