import VPNaaSDomain

extension ListQuery {
    /// A store request for this query, and whether it is exact.
    ///
    /// Exact: every filter and sort key is a column compared as `matches`/`apply` compare, so the store's page is
    /// the answer. Otherwise the request only prefilters (the SQL-able filters, which select a superset) without
    /// order or paging, and the caller runs `apply(to:)` over the rendered rows. Inexact are: attributes that are
    /// not columns in `schema` (JSON, computed), and text filters whose value is an address (text compares
    /// addresses by value, which a text column cannot) or not ASCII (compared by canonical equivalence).
    package func request(schema: ListSchema) -> (request: ListRequest, exact: Bool) {
        var exact = true
        var filters: [ListRequest.Filter] = []
        for filter in self.filters {
            guard let column = schema.columns[filter.key], let values = Self.values(filter.values, column) else {
                exact = false
                continue
            }
            let includesNull = column.nullable && filter.values.contains { $0.isEmpty || $0 == "None" }
            filters.append(ListRequest.Filter(column: column.name, values: values, includesNull: includesNull))
        }
        var sort: [ListRequest.SortKey] = []
        for key in self.sort {
            guard let column = schema.columns[key.key] else {
                exact = false
                break
            }
            sort.append(ListRequest.SortKey(column: column.name, ascending: key.ascending, isText: column.kind == .text || column.kind == .ip,
                nullable: column.nullable))
        }
        if !self.sort.contains(where: { $0.key == "id" }) { sort.append(ListRequest.SortKey(column: "id", ascending: true)) }
        guard exact else { return (ListRequest(filters: filters), false) }
        return (ListRequest(filters: filters, sort: sort, marker: marker, pageReverse: pageReverse, limit: limit), true)
    }

    /// The column values `wanted` matches as `ListQuery.value(_:matches:)` would; nil when a column cannot say.
    static func values(_ wanted: [String], _ column: ListSchema.Column) -> [ListRequest.Value]? {
        var out: [ListRequest.Value] = []
        for w in wanted {
            // Swift compares strings by canonical equivalence (`é` == `e` + U+0301); a column compares bytes.
            if column.kind != .bool && column.kind != .int && w.utf8.contains(where: { $0 >= 0x80 }) { return nil }
            switch column.kind {
            case .text:
                if IPAddress(w) != nil { return nil }
                out.append(.text(w))
            case .ip:
                out.append(.text(w))
                if let canonical = IPAddress(w)?.description, canonical != w { out.append(.text(canonical)) }
            case .bool:
                if let b = AttributeReader.boolean(.string(w)) { out.append(.bool(b)) }
            case .int:
                if let i = Int(w) { out.append(.int(i)) }
            }
        }
        var seen = Set<ListRequest.Value>()
        return out.filter { seen.insert($0).inserted }
    }
}
