import VPNaaSDomain

/// Lists in SQL on either backend: inside one read transaction, the marker lookup and the page query that
/// `ListSQLGenerator` writes for the executor's dialect, decoded by the same row decoders as every other read.
extension SQLAccess {
    func listPage<Item>(
        _ request: ListRequest, table: String, decode: (SQLRow) async throws -> Item
    ) async throws -> ListPage<Item> {
        let generator = ListSQLGenerator(dialect: executor.dialect.lists)
        var markerValues: [ListRequest.Value?]?
        if let marker = request.marker {
            let q = generator.markerQuery(request, table: table)
            guard let row = try await executor.query(q.sql, q.binds.map(Self.sqlValue)).first else {
                throw ListMarkerNotFound(marker: marker)
            }
            markerValues = request.sort.indices.map { Self.listValue(row.values[$0]) }
        }
        let q = generator.pageQuery(request, table: table, markerValues: markerValues)
        var items: [Item] = []
        for row in try await executor.query(q.sql, q.binds.map(Self.sqlValue)) { items.append(try await decode(row)) }
        let full = request.limit.map { items.count >= $0 } ?? false
        if request.pageReverse { items.reverse() }
        return ListPage(items: items, full: full)
    }

    /// Booleans are 0/1 integers on both backends (the schemas' CHECKs say so).
    static func sqlValue(_ value: ListRequest.Value) -> SQLValue {
        switch value {
        case .text(let s): .text(s)
        case .int(let i): .integer(Int64(i))
        case .bool(let b): .integer(b ? 1 : 0)
        }
    }

    static func listValue(_ value: SQLValue) -> ListRequest.Value? {
        switch value {
        case .null, .blob: nil
        case .integer(let i): .int(Int(i))
        case .real(let d): .int(Int(d))
        case .text(let s): .text(s)
        }
    }
}

/// What both SQL backends share to be a `ListStore`: their `read` hands the body an `SQLAccess`.
protocol SQLListing: ListStore, Store {
    /// Runs a body whose every statement stands on its own — a page whose rows decode without further queries
    /// (the marker's sort values, then the page) — without a transaction around it where the backend gains by
    /// that: on PostgreSQL each statement is then one round trip of its own instead of BEGIN … COMMIT around
    /// them. Each statement sees the latest committed rows, which is all a page of a changing list can promise
    /// (the next page is another request anyway).
    func statementRead<T: Sendable>(_ body: @escaping @Sendable (SQLAccess) async throws -> T) async throws -> T
}

extension SQLiteStore {
    /// SQLite's read snapshot costs nothing extra: the usual read transaction.
    func statementRead<T: Sendable>(_ body: @escaping @Sendable (SQLAccess) async throws -> T) async throws -> T {
        try await snapshotRead(body)
    }
}

extension SQLListing {
    package func ikePolicies(_ request: ListRequest) async throws -> ListPage<IKEPolicy> {
        try await listedByStatements(request, ListSchema.ikePolicies.table) { try $0.ikePolicy(from: $1) }
    }

    package func ipsecPolicies(_ request: ListRequest) async throws -> ListPage<IPsecPolicy> {
        try await listedByStatements(request, ListSchema.ipsecPolicies.table) { try $0.ipsecPolicy(from: $1) }
    }

    package func vpnServices(_ request: ListRequest) async throws -> ListPage<VPNService> {
        try await listedByStatements(request, ListSchema.vpnServices.table) { try $0.vpnService(from: $1) }
    }

    package func endpointGroups(_ request: ListRequest) async throws -> ListPage<EndpointGroup> {
        try await listedByStatements(request, ListSchema.endpointGroups.table) { try $0.endpointGroup(from: $1) }
    }

    package func ipsecSiteConnections(_ request: ListRequest) async throws -> ListPage<IPsecSiteConnection> {
        try await listed(request, ListSchema.ipsecSiteConnections.table) { try await $0.connection(from: $1) }
    }

    package func networks(_ request: ListRequest) async throws -> ListPage<Network> {
        try await listed(request, ListSchema.networks.table) { try await $0.network(from: $1) }
    }

    package func routers(_ request: ListRequest) async throws -> ListPage<Router> {
        try await listed(request, ListSchema.routers.table) { try await $0.router(from: $1) }
    }

    package func ports(_ request: ListRequest) async throws -> ListPage<Port> {
        try await listed(request, ListSchema.ports.table) { try await $0.port(from: $1) }
    }

    /// One read transaction, its reader as the SQL accessor both backends hand out.
    func snapshotRead<T: Sendable>(_ body: @escaping @Sendable (SQLAccess) async throws -> T) async throws -> T {
        try await read { tx in
            guard let access = tx as? SQLAccess else {
                throw StoreError(code: .other, message: "listing in SQL needs the SQL accessor")
            }
            return try await body(access)
        }
    }

    /// A page of a table whose rows decode on their own (no query per row).
    private func listedByStatements<Item: Sendable>(
        _ request: ListRequest, _ table: String, _ decode: @escaping @Sendable (SQLAccess, SQLRow) throws -> Item
    ) async throws -> ListPage<Item> {
        try await statementRead { access in try await access.listPage(request, table: table) { try decode(access, $0) } }
    }

    /// A page whose rows need further queries to decode: one snapshot for all of them.
    private func listed<Item: Sendable>(
        _ request: ListRequest, _ table: String, _ decode: @escaping @Sendable (SQLAccess, SQLRow) async throws -> Item
    ) async throws -> ListPage<Item> {
        try await snapshotRead { access in try await access.listPage(request, table: table) { try await decode(access, $0) } }
    }
}

extension SQLiteStore: SQLListing {}
extension PostgresStore: SQLListing {}
