import Logging
import NIOCore
import PostgresNIO

/// `SQLExecutor` over one PostgreSQL connection inside the transaction `PostgresStore` opened on it.
struct PostgresExecutor: SQLExecutor {
    let connection: PostgresConnection
    let logger: Logger

    var dialect: SQLDialect { .postgres }

    func query(_ sql: String, _ arguments: [SQLValue]) async throws -> [SQLRow] {
        try await run(sql, arguments).rows.map(SQLRow.init(postgres:))
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) async throws -> Int {
        try await run(sql, arguments).metadata.rows ?? 0
    }

    private func run(_ sql: String, _ arguments: [SQLValue]) async throws -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .null: binds.appendNull()
            case .integer(let i): binds.append(i)
            case .real(let d): binds.append(d)
            case .text(let s): binds.append(s)
            case .blob(let b): binds.append(ByteBuffer(bytes: b))
            }
        }
        let query = PostgresQuery(unsafeSQL: Self.numberedPlaceholders(sql), binds: binds)
        // The future-returning overload carries the command tag (rows changed), the async one does not.
        let result: EventLoopFuture<PostgresQueryResult> = connection.query(query, logger: logger)
        return try await result.get()
    }

    /// `?` placeholders in order become `$1`, `$2`…; an explicit `?N` becomes `$N`. Quoted text is left alone.
    static func numberedPlaceholders(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.count + 16)
        var next = 0
        var quoted = false
        var chars = sql.makeIterator()
        var pending: Character? = chars.next()
        while let c = pending {
            pending = chars.next()
            if c == "'" { quoted.toggle() }
            guard c == "?", !quoted else {
                out.append(c)
                continue
            }
            var digits = ""
            while let d = pending, d.isASCII, d.isNumber {
                digits.append(d)
                pending = chars.next()
            }
            if digits.isEmpty {
                next += 1
                out += "$\(next)"
            } else {
                out += "$" + digits
            }
        }
        return out
    }
}

extension SQLRow {
    init(postgres row: PostgresRow) {
        var names: [String] = []
        var values: [SQLValue] = []
        for cell in row {
            names.append(cell.columnName)
            values.append(SQLValue(postgres: cell))
        }
        self.init(names: names, values: values)
    }
}

extension SQLValue {
    /// Integers of any width, booleans as 0/1 (as SQLite stores them), bytea as bytes, everything else as text.
    init(postgres cell: PostgresCell) {
        guard let bytes = cell.bytes else {
            self = .null
            return
        }
        do {
            switch cell.dataType {
            case .int2, .int4, .int8: self = .integer(try cell.decode(Int64.self))
            case .bool: self = .integer(try cell.decode(Bool.self) ? 1 : 0)
            case .float4, .float8: self = .real(try cell.decode(Double.self))
            case .bytea: self = .blob(Array(bytes.readableBytesView))
            default: self = .text(try cell.decode(String.self))
            }
        } catch {
            self = .text(String(buffer: bytes))
        }
    }
}
