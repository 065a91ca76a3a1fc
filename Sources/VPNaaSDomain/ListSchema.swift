/// Which Neutron attributes of a collection are plain columns, so filters and sorts on them can run in the store.
/// Attributes not listed (JSON, computed, runtime status) are evaluated in Swift over a store-prefiltered set.
package struct ListSchema: Sendable {
    /// How an attribute's column compares.
    package enum Kind: Sendable, Equatable {
        /// Text compared byte for byte (attributes that hold addresses are not plain text: they compare by value).
        case text
        /// An address stored in canonical text (`IPAddress.description`): a filter value matches by value.
        case ip
        /// 0/1 in the store, true/false on the wire.
        case bool
        case int
    }

    /// A column backing an attribute.
    package struct Column: Sendable, Equatable {
        package var name: String
        package var kind: Kind
        package var nullable: Bool

        package init(_ name: String, _ kind: Kind = .text, nullable: Bool = false) {
            self.name = name
            self.kind = kind
            self.nullable = nullable
        }
    }

    package var table: String
    package var columns: [String: Column]

    package init(table: String, columns: [String: Column]) {
        self.table = table
        self.columns = columns
    }

    /// The attributes every VPN and core resource has as columns: `id`, `project_id` (`tenant_id`), `name`,
    /// `description`.
    package static func common(table: String, _ extra: [String: Column] = [:]) -> ListSchema {
        let base: [String: Column] = [
            "id": Column("id"), "project_id": Column("project_id"), "tenant_id": Column("project_id"),
            "name": Column("name"), "description": Column("description"),
        ]
        return ListSchema(table: table, columns: base.merging(extra) { _, new in new })
    }
}
