import GRDB
import VPNaaSDomain

/// Lists in SQL on SQLite: one read transaction runs the marker lookup and the page query.
extension SQLiteStore: ListStore {
    package func ikePolicies(_ request: ListRequest) async throws -> ListPage<IKEPolicy> {
        try await page(request, table: ListSchema.ikePolicies.table) { try $0.ikePolicy(from: $1) }
    }

    package func ipsecPolicies(_ request: ListRequest) async throws -> ListPage<IPsecPolicy> {
        try await page(request, table: ListSchema.ipsecPolicies.table) { try $0.ipsecPolicy(from: $1) }
    }

    package func vpnServices(_ request: ListRequest) async throws -> ListPage<VPNService> {
        try await page(request, table: ListSchema.vpnServices.table) { try $0.vpnService(from: $1) }
    }

    package func endpointGroups(_ request: ListRequest) async throws -> ListPage<EndpointGroup> {
        try await page(request, table: ListSchema.endpointGroups.table) { try $0.endpointGroup(from: $1) }
    }

    package func ipsecSiteConnections(_ request: ListRequest) async throws -> ListPage<IPsecSiteConnection> {
        try await page(request, table: ListSchema.ipsecSiteConnections.table) { try $0.connection(from: $1) }
    }

    package func networks(_ request: ListRequest) async throws -> ListPage<Network> {
        try await page(request, table: ListSchema.networks.table) { try $0.network(from: $1) }
    }

    package func routers(_ request: ListRequest) async throws -> ListPage<Router> {
        try await page(request, table: ListSchema.routers.table) { try $0.router(from: $1) }
    }

    package func ports(_ request: ListRequest) async throws -> ListPage<Port> {
        try await page(request, table: ListSchema.ports.table) { try $0.port(from: $1) }
    }

    private func page<Item: Sendable>(
        _ request: ListRequest, table: String, decode: @escaping @Sendable (SQLiteAccess, Row) throws -> Item
    ) async throws -> ListPage<Item> {
        let secrets = secrets
        do {
            return try await writer.read { db in
                let generator = ListSQLGenerator(dialect: .sqlite)
                var markerValues: [ListRequest.Value?]?
                if let marker = request.marker {
                    let q = generator.markerQuery(request, table: table)
                    guard let row = try Row.fetchOne(db.cachedStatement(sql: q.sql), arguments: Self.arguments(q.binds))
                    else { throw ListMarkerNotFound(marker: marker) }
                    markerValues = request.sort.indices.map { Self.value(row[$0] as DatabaseValue) }
                }
                let q = generator.pageQuery(request, table: table, markerValues: markerValues)
                let access = SQLiteAccess(db: db, secrets: secrets)
                var items = try Row.fetchAll(db.cachedStatement(sql: q.sql), arguments: Self.arguments(q.binds))
                    .map { try decode(access, $0) }
                let full = request.limit.map { items.count >= $0 } ?? false
                if request.pageReverse { items.reverse() }
                return ListPage(items: items, full: full)
            }
        } catch let error as DatabaseError {
            throw StoreError(code: StoreError.Code(error), message: error.message ?? "database error", cause: error)
        }
    }

    static func arguments(_ binds: [ListRequest.Value]) -> StatementArguments {
        StatementArguments(binds.map { value -> DatabaseValue in
            switch value {
            case .text(let s): s.databaseValue
            case .int(let i): i.databaseValue
            case .bool(let b): (b ? 1 : 0).databaseValue
            }
        })
    }

    static func value(_ value: DatabaseValue) -> ListRequest.Value? {
        switch value.storage {
        case .null: nil
        case .int64(let i): .int(Int(i))
        case .double(let d): .int(Int(d))
        case .string(let s): .text(s)
        case .blob: nil
        }
    }
}
