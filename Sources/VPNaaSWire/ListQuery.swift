import VPNaaSDomain

/// Neutron's list query string: attribute filters, `fields`, `sort_key`/`sort_dir`, `limit`/`marker`.
package struct ListQuery: Sendable, Equatable {
    package var filters: [(key: String, values: [String])]
    package var fields: [String]
    package var sort: [(key: String, ascending: Bool)]
    package var limit: Int?
    package var marker: String?
    package var pageReverse: Bool

    package static func == (a: ListQuery, b: ListQuery) -> Bool {
        a.filters.map(\.key) == b.filters.map(\.key) && a.filters.map(\.values) == b.filters.map(\.values)
            && a.fields == b.fields && a.sort.map(\.key) == b.sort.map(\.key)
            && a.sort.map(\.ascending) == b.sort.map(\.ascending) && a.limit == b.limit && a.marker == b.marker
            && a.pageReverse == b.pageReverse
    }

    /// Parses the query items of a list request.
    /// - Parameter filterable: the attributes this collection can be filtered and sorted on.
    package init(items: [(String, String)], filterable: Set<String>) throws(VPNaaSError) {
        var filters: [String: [String]] = [:]
        var filterOrder: [String] = []
        var fields: [String] = []
        var sortKeys: [String] = []
        var sortDirs: [String] = []
        var limit: Int?
        var marker: String?
        var pageReverse = false
        for (key, value) in items {
            switch key {
            case "fields": fields.append(value)
            case "sort_key": sortKeys.append(value)
            case "sort_dir": sortDirs.append(value)
            case "limit":
                guard let n = Int(value), n >= 0 else {
                    throw .badRequest("Limit must be an integer 0 or greater and not '\(value)'")
                }
                limit = n == 0 ? nil : n
            case "marker": marker = value
            case "page_reverse": pageReverse = AttributeReader.boolean(.string(value)) ?? false
            default:
                if filters[key] == nil { filterOrder.append(key) }
                filters[key, default: []].append(value)
            }
        }
        let unknown = filterOrder.filter { !filterable.contains($0) }
        if !unknown.isEmpty {
            throw .badRequest("[\(unknown.map { "'\($0)'" }.joined(separator: ", "))] is invalid attribute for filtering")
        }
        if sortKeys.count != sortDirs.count && !sortDirs.isEmpty {
            throw .badRequest("The number of sort_keys and sort_dirs must be same")
        }
        var sort: [(String, Bool)] = []
        for (i, key) in sortKeys.enumerated() {
            guard filterable.contains(key) else {
                throw .badRequest("\(key) is an invalid attribute for sort_keys")
            }
            let dir = i < sortDirs.count ? sortDirs[i] : "asc"
            guard dir == "asc" || dir == "desc" else {
                throw .badRequest("\(dir) is an invalid value for sort_dirs, valid values are 'asc' and 'desc'")
            }
            sort.append((key, dir == "asc"))
        }
        self.filters = filterOrder.map { ($0, filters[$0]!) }
        self.fields = fields
        self.sort = sort.map { (key: $0.0, ascending: $0.1) }
        self.limit = limit
        self.marker = marker
        self.pageReverse = pageReverse
    }

    /// Does `object` pass every filter? Values of a filter are alternatives (Neutron ORs them).
    package func matches(_ object: JSONObject) -> Bool {
        filters.allSatisfy { filter in
            guard let value = object[filter.key] else { return false }
            return filter.values.contains { ListQuery.value(value, matches: $0) }
        }
    }

    static func value(_ value: JSONValue, matches wanted: String) -> Bool {
        switch value {
        case .null: return wanted.isEmpty || wanted == "None"
        case .bool(let b): return AttributeReader.boolean(.string(wanted)) == b
        case .int(let i): return Int(wanted) == i
        case .double(let d): return Double(wanted) == d
        case .string(let s):
            // Addresses compare by value so `2001:db8::0:1` finds `2001:db8::1`.
            if s == wanted { return true }
            if let a = IPAddress(s), let b = IPAddress(wanted) { return a == b }
            return false
        case .array(let items):
            // `fixed_ips=ip_address=…` / `fixed_ips=subnet_id=…` match one element's attribute.
            if let eq = wanted.firstIndex(of: "="), items.contains(where: { $0.objectValue != nil }) {
                let k = String(wanted[..<eq])
                let v = String(wanted[wanted.index(after: eq)...])
                return items.contains { item in item[k].map { ListQuery.value($0, matches: v) } ?? false }
            }
            return items.contains { ListQuery.value($0, matches: wanted) }
        case .object: return false
        }
    }

    /// Filters, sorts (always ending with `id` as Neutron does), pages and projects a collection.
    /// - Returns: the page and whether a next page may exist (Neutron links when the page is full).
    package func apply(to items: [JSONObject]) throws(VPNaaSError) -> (page: [JSONObject], full: Bool) {
        var result = items.filter(matches)
        var keys = sort
        if !keys.contains(where: { $0.key == "id" }) { keys.append((key: "id", ascending: true)) }
        result.sort { a, b in
            for (key, ascending) in keys {
                let order = JSONValue.compare(a[key] ?? .null, b[key] ?? .null)
                if order != 0 { return ascending ? order < 0 : order > 0 }
            }
            return false
        }
        if pageReverse { result.reverse() }
        if let marker {
            guard let index = result.firstIndex(where: { $0["id"] == .string(marker) }) else {
                throw .badRequest("Marker \(marker) could not be found")
            }
            result.removeFirst(index + 1)
        }
        var full = false
        if let limit, result.count >= limit {
            full = true
            result = Array(result.prefix(limit))
        }
        if pageReverse { result.reverse() }
        return (projected(result), full)
    }

    /// Applies `fields=` to a list of objects.
    package func projected(_ items: [JSONObject]) -> [JSONObject] {
        guard !fields.isEmpty else { return items }
        let wanted = Set(fields)
        return items.map { $0.selecting(wanted) }
    }
}

extension JSONValue {
    /// Total order used for sorting: null < bool < number < string < others.
    static func compare(_ a: JSONValue, _ b: JSONValue) -> Int {
        func rank(_ v: JSONValue) -> Int {
            switch v {
            case .null: 0
            case .bool: 1
            case .int, .double: 2
            case .string: 3
            case .array: 4
            case .object: 5
            }
        }
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        case (.int(let x), .int(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.string(let x), .string(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.double(let x), .double(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        default: return rank(a) - rank(b)
        }
    }
}
