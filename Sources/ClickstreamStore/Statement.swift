import CSQLite

/// SQLite transient destructor: SQLite copies the bound bytes.
let SQLITE_TRANSIENT = unsafeBitCast(Int(-1), to: sqlite3_destructor_type.self)

/// A prepared statement, owned by this value and finalized in `deinit` (for a cached one, when its connection
/// goes away: see `Database.cachedStatement(_:)`).
public final class Statement {
    let handle: OpaquePointer
    unowned let database: Database
    public let sql: String

    init(database: Database, sql: String) throws {
        var st: OpaquePointer?
        let rc = sqlite3_prepare_v2(database.handle, sql, -1, &st, nil)
        guard rc == SQLITE_OK, let st else {
            throw DatabaseError(code: rc, message: database.lastErrorMessage, sql: sql)
        }
        handle = st
        self.database = database
        self.sql = sql
    }

    /// Wraps a statement already prepared on `database`.
    init(database: Database, handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    private func check(_ rc: Int32) throws {
        if rc != SQLITE_OK { throw DatabaseError(code: rc, message: database.lastErrorMessage, sql: sql) }
    }

    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: binding (1-based indexes)

    public func bind(_ i: Int32, _ v: Int64) throws { try check(sqlite3_bind_int64(handle, i, v)) }
    public func bind(_ i: Int32, _ v: Int) throws { try check(sqlite3_bind_int64(handle, i, Int64(v))) }
    public func bindNull(_ i: Int32) throws { try check(sqlite3_bind_null(handle, i)) }
    public func bind(_ i: Int32, _ v: String) throws {
        var s = v
        try s.withUTF8 { b in try bindText(i, UnsafeRawBufferPointer(b)) }
    }
    public func bind(_ i: Int32, _ v: String?) throws {
        if let v { try bind(i, v) } else { try bindNull(i) }
    }
    public func bind(_ i: Int32, _ v: Int64?) throws {
        if let v { try bind(i, v) } else { try bindNull(i) }
    }
    /// Binds UTF-8 text from bytes (copied).
    public func bindText(_ i: Int32, _ b: UnsafeRawBufferPointer) throws {
        // A nil base (empty text) must still bind "" rather than NULL.
        let empty: StaticString = ""
        let p = b.baseAddress ?? UnsafeRawPointer(empty.utf8Start)
        try check(sqlite3_bind_text(handle, i, p.assumingMemoryBound(to: CChar.self), Int32(b.count), SQLITE_TRANSIENT))
    }
    /// Binds UTF-8 text without copying: `b` must stay valid until the statement is stepped and reset.
    public func bindTextNoCopy(_ i: Int32, _ b: UnsafeRawBufferPointer) throws {
        let empty: StaticString = ""
        let p = b.baseAddress ?? UnsafeRawPointer(empty.utf8Start)
        try check(sqlite3_bind_text(handle, i, p.assumingMemoryBound(to: CChar.self), Int32(b.count), nil))
    }
    public func bindBlob(_ i: Int32, _ b: UnsafeRawBufferPointer) throws {
        try check(sqlite3_bind_blob(handle, i, b.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(b.count), SQLITE_TRANSIENT))
    }
    public func bind(_ i: Int32, _ v: SQLValue) throws {
        switch v {
        case .null: try bindNull(i)
        case .integer(let x): try bind(i, x)
        case .real(let x): try check(sqlite3_bind_double(handle, i, x))
        case .text(let s): try bind(i, s)
        case .blob(let b): try b.withUnsafeBytes { try bindBlob(i, $0) }
        }
    }
    public func bind(_ values: [SQLValue]) throws {
        for (i, v) in values.enumerated() { try bind(Int32(i + 1), v) }
    }
    /// Binds `:name` parameters.
    public func bind(named values: [String: SQLValue]) throws {
        for (name, v) in values {
            let i = sqlite3_bind_parameter_index(handle, ":" + name)
            guard i > 0 else { throw DatabaseError(code: SQLITE_RANGE, message: "no parameter :\(name) in query", sql: sql) }
            try bind(i, v)
        }
    }
    public var parameterNames: [String] {
        (0..<sqlite3_bind_parameter_count(handle)).compactMap { i in
            sqlite3_bind_parameter_name(handle, i + 1).map { String(String(cString: $0).dropFirst()) }
        }
    }

    // MARK: stepping

    /// Advances; true when a row is available. When the statement is done (or fails) it is reset at once, bindings
    /// kept: a finished statement then holds no read transaction open while it waits, cached, for its next use.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE {
            sqlite3_reset(handle)
            return false
        }
        let error = DatabaseError(code: rc, message: database.lastErrorMessage, sql: sql)
        sqlite3_reset(handle)
        throw error
    }

    /// Steps to completion, then resets for reuse (bindings cleared).
    public func run() throws {
        defer { reset() }
        while try step() {}
    }

    // MARK: columns (0-based)

    public var columnCount: Int32 { sqlite3_column_count(handle) }
    public func columnName(_ i: Int32) -> String { String(cString: sqlite3_column_name(handle, i)) }
    public func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
    public func int(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
    public func optionalInt(_ i: Int32) -> Int64? { isNull(i) ? nil : int(i) }
    public func string(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(handle, i) else { return "" }
        let n = Int(sqlite3_column_bytes(handle, i))
        return String(decoding: UnsafeRawBufferPointer(start: p, count: n), as: UTF8.self)
    }
    public func optionalString(_ i: Int32) -> String? { isNull(i) ? nil : string(i) }
    public func blob(_ i: Int32) -> UnsafeRawBufferPointer {
        let p = sqlite3_column_blob(handle, i)
        return UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, i)))
    }
    public func value(_ i: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, i) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(int(i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, i))
        case SQLITE_BLOB: return .blob(Array(blob(i)))
        default: return .text(string(i))
        }
    }
    /// All remaining rows as values.
    public func rows() throws -> [[SQLValue]] {
        var out: [[SQLValue]] = []
        while try step() { out.append((0..<columnCount).map { value($0) }) }
        return out
    }
}
