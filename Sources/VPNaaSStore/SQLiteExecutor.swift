import GRDB
import Foundation

/// `SQLExecutor` over the GRDB connection a transaction pinned: each statement is one job on it, prepared once
/// per connection (`cachedStatement`).
struct SQLiteExecutor: SQLExecutor {
    let pin: PinnedConnection

    var dialect: SQLDialect { .sqlite }

    func query(_ sql: String, _ arguments: [SQLValue]) async throws -> [SQLRow] {
        try await pin.run { db in
            let statement = try db.cachedStatement(sql: sql)
            let names = statement.columnNames
            var rows: [SQLRow] = []
            let cursor = try Row.fetchCursor(statement, arguments: StatementArguments(arguments.map(\.databaseValue)))
            while let row = try cursor.next() {
                rows.append(SQLRow(names: names, values: row.databaseValues.map(SQLValue.init)))
            }
            return rows
        }
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) async throws -> Int {
        try await pin.run { db in
            try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(arguments.map(\.databaseValue)))
            return db.changesCount
        }
    }
}

extension SQLValue {
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let i): self = .integer(i)
        case .double(let d): self = .real(d)
        case .string(let s): self = .text(s)
        case .blob(let data): self = .blob([UInt8](data))
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let i): i.databaseValue
        case .real(let d): d.databaseValue
        case .text(let s): s.databaseValue
        case .blob(let b): Data(b).databaseValue
        }
    }
}
