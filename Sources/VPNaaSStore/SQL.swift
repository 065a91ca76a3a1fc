/// The backend-neutral SQL layer: `SQLAccess` (every `StoreReader`/`StoreWriter` query) is written once against
/// `SQLExecutor`, and each backend supplies an executor (GRDB on a pinned connection, postgres-nio on a pooled one)
/// plus its `SQLDialect`. The SQL text uses `?` placeholders (`?N` for a repeated one); PostgreSQL's executor
/// rewrites them to `$n`.

/// A value bound to, or read from, a statement.
package enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// What can be bound as a statement argument. Booleans are integers 0/1 on every backend (the schemas CHECK it).
package protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

/// What a column can be read as; `Optional` reads NULL as nil.
package protocol SQLDecodable {
    static func decode(_ value: SQLValue) -> Self?
}

extension String: SQLBindable, SQLDecodable {
    package var sqlValue: SQLValue { .text(self) }
    package static func decode(_ value: SQLValue) -> String? {
        if case .text(let s) = value { return s }
        return nil
    }
}

extension Int64: SQLBindable, SQLDecodable {
    package var sqlValue: SQLValue { .integer(self) }
    package static func decode(_ value: SQLValue) -> Int64? {
        if case .integer(let i) = value { return i }
        return nil
    }
}

extension Int: SQLBindable, SQLDecodable {
    package var sqlValue: SQLValue { .integer(Int64(self)) }
    package static func decode(_ value: SQLValue) -> Int? { Int64.decode(value).map(Int.init) }
}

extension Bool: SQLBindable, SQLDecodable {
    package var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    package static func decode(_ value: SQLValue) -> Bool? { Int64.decode(value).map { $0 != 0 } }
}

extension Double: SQLBindable, SQLDecodable {
    package var sqlValue: SQLValue { .real(self) }
    package static func decode(_ value: SQLValue) -> Double? {
        switch value {
        case .real(let d): d
        case .integer(let i): Double(i)
        default: nil
        }
    }
}

extension Array: SQLBindable, SQLDecodable where Element == UInt8 {
    package var sqlValue: SQLValue { .blob(self) }
    package static func decode(_ value: SQLValue) -> [UInt8]? {
        if case .blob(let b) = value { return b }
        return nil
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    package var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

extension Optional: SQLDecodable where Wrapped: SQLDecodable {
    package static func decode(_ value: SQLValue) -> Wrapped?? {
        if case .null = value { return .some(nil) }
        return Wrapped.decode(value).map { .some($0) }
    }
}

/// One result row, by column name and by position.
package struct SQLRow: Sendable {
    package var names: [String]
    package var values: [SQLValue]

    package init(names: [String], values: [SQLValue]) {
        self.names = names
        self.values = values
    }

    package func value(_ name: String) -> SQLValue {
        guard let i = names.firstIndex(of: name) else { preconditionFailure("no column \(name) in the result row") }
        return values[i]
    }

    /// A column of a type the schema guarantees; like GRDB's row subscript, a mismatch is a programming error.
    package subscript<T: SQLDecodable>(_ name: String) -> T {
        guard let decoded = T.decode(value(name)) else {
            preconditionFailure("column \(name) does not hold a \(T.self)")
        }
        return decoded
    }

    package subscript<T: SQLDecodable>(_ index: Int) -> T {
        guard let decoded = T.decode(values[index]) else { preconditionFailure("column \(index) does not hold a \(T.self)") }
        return decoded
    }
}

/// Where the two backends' SQL must differ, as small hooks used inside otherwise shared statements.
package struct SQLDialect: Sendable {
    /// The column that orders rows by insertion (`rowid` in SQLite, an identity column `seq` in PostgreSQL).
    package var insertionOrder: String
    /// How list queries are written (placeholders, NULL order, byte-order collation).
    package var lists: ListSQLDialect

    package static let sqlite = SQLDialect(insertionOrder: "rowid", lists: .sqlite)
    package static let postgres = SQLDialect(insertionOrder: "seq", lists: .postgres)
}

/// Runs statements inside the transaction it belongs to.
package protocol SQLExecutor: Sendable {
    var dialect: SQLDialect { get }
    func query(_ sql: String, _ arguments: [SQLValue]) async throws -> [SQLRow]
    /// Runs a statement that returns no rows; the number of rows it changed.
    func execute(_ sql: String, _ arguments: [SQLValue]) async throws -> Int
}
