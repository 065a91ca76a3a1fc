import VPNaaSDomain

/// The SQL flavour a list query is written in.
package enum ListSQLDialect: Sendable {
    /// `?` placeholders; NULLs already sort first ascending and last descending; text compares bytewise (BINARY).
    case sqlite
    /// `$n` placeholders, `NULLS FIRST`/`NULLS LAST` spelled out, `COLLATE "C"` for bytewise text order.
    case postgres
}

/// One statement of a list: its text and its binds in order.
package struct ListSQL: Sendable, Equatable {
    package var sql: String
    package var binds: [ListRequest.Value]
}

/// Writes the SQL of a `ListRequest` for either backend: scoping and filters as a WHERE clause, the sort as
/// ORDER BY, the marker as a keyset condition on the marker row's sort values, and LIMIT. Column names come
/// from `ListSchema` (static strings), never from the request's text; every value is a bind.
package struct ListSQLGenerator: Sendable {
    package var dialect: ListSQLDialect

    package init(dialect: ListSQLDialect) { self.dialect = dialect }

    /// `SELECT <sort columns> FROM table WHERE <visible> AND id = ?`: the marker row's sort values, or no row
    /// when the marker is not among the rows the request sees.
    package func markerQuery(_ request: ListRequest, table: String) -> ListSQL {
        var w = Writer(dialect: dialect)
        var conditions = w.conditions(request)
        conditions.append("id = " + w.bind(.text(request.marker ?? "")))
        let columns = request.sort.map(\.column).joined(separator: ", ")
        return ListSQL(sql: "SELECT \(columns) FROM \(table) WHERE \(conditions.joined(separator: " AND "))", binds: w.binds)
    }

    /// The page: `SELECT <select> FROM table WHERE <visible> [AND <after marker>] ORDER BY … [LIMIT n]`.
    /// - Parameter markerValues: the marker row's sort values (from `markerQuery`), nil without a marker.
    /// With `pageReverse` the order is inverted; the caller reverses the rows it gets back.
    package func pageQuery(
        _ request: ListRequest, table: String, select: String = "*", markerValues: [ListRequest.Value?]? = nil
    ) -> ListSQL {
        var w = Writer(dialect: dialect)
        var conditions = w.conditions(request)
        let keys = request.sort.map { key in
            var flipped = key
            flipped.ascending = key.ascending != request.pageReverse
            return flipped
        }
        if let markerValues {
            // A redundant bound on the first key lets the database walk its index from the marker on.
            if keys.count > 1, let first = keys.first, let value = markerValues.first ?? nil, first.ascending || !first.nullable {
                conditions.append(w.collated(first) + (first.ascending ? " >= " : " <= ") + w.bind(value))
            }
            conditions.append(w.after(keys, markerValues))
        }
        var sql = "SELECT \(select) FROM \(table)"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY " + keys.map(w.order).joined(separator: ", ")
        if let limit = request.limit { sql += " LIMIT \(limit)" }
        return ListSQL(sql: sql, binds: w.binds)
    }

    private struct Writer {
        let dialect: ListSQLDialect
        var binds: [ListRequest.Value] = []

        mutating func bind(_ value: ListRequest.Value) -> String {
            binds.append(value)
            return dialect == .sqlite ? "?" : "$\(binds.count)"
        }

        mutating func list(_ values: [ListRequest.Value]) -> String {
            "(" + values.map { bind($0) }.joined(separator: ", ") + ")"
        }

        mutating func conditions(_ request: ListRequest) -> [String] {
            var out: [String] = []
            if case .projects(let ids, let flags) = request.scope {
                var alternatives = ["project_id IN " + list(ids.map(ListRequest.Value.text))]
                for flag in flags { alternatives.append("\(flag) = " + bind(.bool(true))) }
                out.append(alternatives.count == 1 ? alternatives[0] : "(" + alternatives.joined(separator: " OR ") + ")")
            }
            for filter in request.filters {
                var alternatives: [String] = []
                if !filter.values.isEmpty {
                    alternatives.append(
                        filter.values.count == 1
                            ? "\(filter.column) = " + bind(filter.values[0])
                            : "\(filter.column) IN " + list(filter.values))
                }
                if filter.includesNull { alternatives.append("\(filter.column) IS NULL") }
                switch alternatives.count {
                case 0: out.append("1 = 0")
                case 1: out.append(alternatives[0])
                default: out.append("(" + alternatives.joined(separator: " OR ") + ")")
                }
            }
            return out
        }

        func collated(_ key: ListRequest.SortKey) -> String {
            dialect == .postgres && key.isText ? "\(key.column) COLLATE \"C\"" : key.column
        }

        func order(_ key: ListRequest.SortKey) -> String {
            switch dialect {
            case .sqlite: collated(key) + (key.ascending ? " ASC" : " DESC")
            // NULLs first ascending, last descending, as SQLite (and JSONValue.compare) order them; spelled out only
            // for nullable columns, so the plain ASC/DESC of a NOT NULL key can walk its index.
            case .postgres:
                collated(key) + (key.ascending ? " ASC" : " DESC") + (key.nullable ? (key.ascending ? " NULLS FIRST" : " NULLS LAST") : "")
            }
        }

        /// Rows strictly after the marker in `keys` order: for some i, keys before i equal the marker's and key i
        /// is past it (NULL is lowest: first ascending, last descending).
        mutating func after(_ keys: [ListRequest.SortKey], _ values: [ListRequest.Value?]) -> String {
            let pairs = Array(zip(keys, values))
            var alternatives: [String] = []
            for i in pairs.indices {
                let (key, value) = pairs[i]
                if value == nil && !key.ascending { continue }  // nothing sorts after NULL descending
                var terms: [String] = []
                for (k, v) in pairs[..<i] {
                    terms.append(v.map { "\(collated(k)) = " + bind($0) } ?? "\(k.column) IS NULL")
                }
                switch (value, key.ascending) {
                case (nil, _): terms.append("\(key.column) IS NOT NULL")
                case (let v?, true): terms.append("\(collated(key)) > " + bind(v))
                case (let v?, false) where key.nullable:
                    terms.append("(\(collated(key)) < " + bind(v) + " OR \(key.column) IS NULL)")
                case (let v?, false): terms.append("\(collated(key)) < " + bind(v))
                }
                alternatives.append(terms.joined(separator: " AND "))
            }
            if alternatives.isEmpty { return "1 = 0" }
            return "(" + alternatives.map { "(\($0))" }.joined(separator: " OR ") + ")"
        }
    }
}
