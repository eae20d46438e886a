import CSQLite

/// One SQLite connection, owned by this value and closed in `deinit`. Not thread-safe: use it from one thread.
public final class Database {
    let handle: OpaquePointer
    public let path: String
    /// Prepared statements by SQL text, for `cachedStatement(_:)`.
    var statementCache: [String: Statement] = [:]
    /// Released only after the connection is closed: the writer's `StoreLock`, whose descriptor on the database
    /// file must not be closed while SQLite holds `fcntl` locks on it (closing it would drop them).
    public var keepAlive: AnyObject?

    /// Opens (creating if needed) the database at `path`.
    public init(path: String, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw DatabaseError(code: rc, message: "\(message) (\(path))", sql: nil)
        }
        handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        // A reader meets a writer opening or closing the database (its WAL checkpoint takes an exclusive lock for
        // a moment): it waits rather than failing with "database is locked". Writers set their own timeout.
        if readOnly { sqlite3_busy_timeout(db, Self.readerBusyTimeoutMs) }
    }

    /// How long a read-only connection waits on a locked database.
    public static let readerBusyTimeoutMs: Int32 = 5_000

    deinit {
        // Finalize the cached statements before closing, so the connection closes now rather than as a zombie.
        statementCache = [:]
        sqlite3_close_v2(handle)
    }

    /// Process-wide SQLite settings, applied once before the first connection: memory statistics off (they
    /// put a global mutex on every allocation).
    public static func configureLibrary() { _ = libraryConfigured }
    private static let libraryConfigured: Bool = {
        csqlite_disable_memstatus()
        return true
    }()

    /// Runs one or more statements without results.
    public func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(err)
            throw DatabaseError(code: rc, message: message, sql: sql)
        }
    }

    /// A new statement, finalized when it is released. For SQL run once or built from input; SQL run again and
    /// again belongs in `cachedStatement(_:)`.
    public func prepare(_ sql: String) throws -> Statement { try Statement(database: self, sql: sql) }

    /// Runs `body` in a transaction (`BEGIN IMMEDIATE`), committing when it returns and rolling back when it throws.
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        try execute("BEGIN IMMEDIATE")
        do {
            let r = try body()
            try execute("COMMIT")
            return r
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The first column of the first row of `sql`, as an integer (nil when no row or NULL).
    public func scalarInt(_ sql: String, _ args: [SQLValue] = []) throws -> Int64? {
        let st = try prepare(sql)
        try st.bind(args)
        guard try st.step() else { return nil }
        return st.isNull(0) ? nil : st.int(0)
    }

    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Milliseconds to wait on a locked database before failing with SQLITE_BUSY.
    public func setBusyTimeout(_ ms: Int32) { sqlite3_busy_timeout(handle, ms) }

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }
}
