/// A list request as the store executes it: which rows the caller may see, column filters, the full sort order
/// and keyset paging. Backend-neutral (SQLite and PostgreSQL generate their SQL from it), and free of HTTP: the
/// wire layer translates Neutron's query string into it, the use-case layer decides the scope.
package struct ListRequest: Sendable, Equatable {
    /// Which rows the caller may see at all; decided by the use-case from the identity, executed by the store.
    package enum Scope: Sendable, Equatable {
        /// Every row (admin).
        case all
        /// Rows of these projects, or rows where one of these boolean columns is true (a network's `shared`).
        case projects([String], orFlags: [String] = [])
    }

    /// One comparable value, already parsed the way the wire layer compares it.
    package enum Value: Sendable, Equatable, Hashable {
        case text(String)
        case int(Int)
        case bool(Bool)
    }

    /// `column IN (values)`, or also `column IS NULL` when `includesNull` (Neutron's `?x=` / `?x=None`).
    /// No values and no null matches nothing.
    package struct Filter: Sendable, Equatable {
        package var column: String
        package var values: [Value]
        package var includesNull: Bool

        package init(column: String, values: [Value], includesNull: Bool = false) {
            self.column = column
            self.values = values
            self.includesNull = includesNull
        }
    }

    /// One sort column. NULLs order first ascending (last descending), as `JSONValue.compare` ranks null lowest.
    package struct SortKey: Sendable, Equatable {
        package var column: String
        package var ascending: Bool
        /// Text sorts byte for byte (PostgreSQL needs `COLLATE "C"` for that).
        package var isText: Bool
        /// Whether the column can hold NULL (then keyset conditions must place NULLs).
        package var nullable: Bool

        package init(column: String, ascending: Bool, isText: Bool = true, nullable: Bool = false) {
            self.column = column
            self.ascending = ascending
            self.isText = isText
            self.nullable = nullable
        }
    }

    package var scope: Scope
    /// All must hold.
    package var filters: [Filter]
    /// The complete order; it ends with a unique column (`id`) so keyset paging is exact.
    package var sort: [SortKey]
    /// The id of the row the page starts after (in `pageReverse` order, before).
    package var marker: String?
    /// Page backwards from the marker; the page itself is still returned in forward order.
    package var pageReverse: Bool
    /// At most this many rows; nil: all.
    package var limit: Int?

    package init(
        scope: Scope = .all, filters: [Filter] = [], sort: [SortKey] = [SortKey(column: "id", ascending: true)],
        marker: String? = nil, pageReverse: Bool = false, limit: Int? = nil
    ) {
        self.scope = scope
        self.filters = filters
        self.sort = sort
        self.marker = marker
        self.pageReverse = pageReverse
        self.limit = limit
    }
}
