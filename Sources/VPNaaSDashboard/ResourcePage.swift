import VPNaaSDomain
import VPNaaSWire

/// One resource kind as the dashboard shows it: list columns, form fields and the use-case calls behind
/// them. Bodies and objects are the API's JSON, so every rule and message is the API's own.
package struct ResourcePage: Sendable {
    package struct Column: Sendable {
        package var key: String
        package var label: String
        package init(_ key: String, _ label: String) {
            self.key = key
            self.label = label
        }
    }

    package struct Operations: Sendable {
        package var list: @Sendable (Identity) async throws -> [JSONObject]
        package var show: @Sendable (String, Identity) async throws -> JSONObject
        package var create: @Sendable (JSONValue, Identity) async throws -> JSONObject
        package var update: @Sendable (String, JSONValue, Identity) async throws -> JSONObject
        package var delete: @Sendable (String, Identity) async throws -> Void

        package init(
            list: @escaping @Sendable (Identity) async throws -> [JSONObject],
            show: @escaping @Sendable (String, Identity) async throws -> JSONObject,
            create: @escaping @Sendable (JSONValue, Identity) async throws -> JSONObject,
            update: @escaping @Sendable (String, JSONValue, Identity) async throws -> JSONObject,
            delete: @escaping @Sendable (String, Identity) async throws -> Void
        ) {
            self.list = list
            self.show = show
            self.create = create
            self.update = update
            self.delete = delete
        }
    }

    /// URL segment under `/dashboard/`.
    package var slug: String
    package var title: String
    package var singular: String
    /// The API's body key (`ikepolicy`).
    package var envelope: String
    package var columns: [Column]
    package var fields: [FormField]
    package var operations: Operations

    package init(
        slug: String, title: String, singular: String, envelope: String, columns: [Column], fields: [FormField],
        operations: Operations
    ) {
        self.slug = slug
        self.title = title
        self.singular = singular
        self.envelope = envelope
        self.columns = columns
        self.fields = fields
        self.operations = operations
    }

    package var createFields: [FormField] { fields.filter(\.onCreate) }
    package var updateFields: [FormField] { fields.filter(\.onUpdate) }

    /// The inputs this caller may fill: admin-only attributes are left out for everyone else.
    package func createFields(for identity: Identity) -> [FormField] { createFields.filter { !$0.adminOnly || identity.isAdmin } }
    package func updateFields(for identity: Identity) -> [FormField] { updateFields.filter { !$0.adminOnly || identity.isAdmin } }
}
