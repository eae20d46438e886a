import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One SQLite connection, owned by this value and closed in `deinit`. Not thread-safe: use it from one thread.
public final class Database {
    let handle: OpaquePointer
    public let path: String
    /// Prepared statements by SQL text, for `cachedStatement(_:)`.
    var statementCache: [String: Statement] = [:]
    /// Released only after the connection is closed: the writer's `StoreLock`, whose descriptor on the database
    /// file must not be closed while SQLite holds `fcntl` locks on it (closing it would drop them).
    public var keepAlive: AnyObject?

    /// Opens (creating if needed) the database at `path`; `readOnly` opens an existing one for reading only
    /// (`SQLITE_OPEN_READONLY`), waiting up to `readerBusyTimeoutMs` on a writer, and reads its schema at once so
    /// that a file that is not a database fails here, naming the file.
    public init(path: String, readOnly: Bool = false) throws {
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var db = try Self.open(path, flags: flags)
        if readOnly {
            var rc = Self.probe(db)
            // A WAL database in a read-only folder (or on a read-only mount), closed cleanly: SQLite cannot create
            // its -shm file. With no -wal file there is nothing beyond the main file to read and nobody can be
            // writing (a writer would need to create the -wal beside it): open it as immutable.
            if rc & 0xff == SQLITE_CANTOPEN, access(path + "-wal", F_OK) != 0 {
                sqlite3_close_v2(db)
                db = try Self.open(Self.immutableURI(path), flags: flags | SQLITE_OPEN_URI, shownAs: path)
                rc = Self.probe(db)
            }
            guard rc == SQLITE_OK else {
                let message = String(cString: sqlite3_errmsg(db))
                sqlite3_close_v2(db)
                throw DatabaseError(code: rc, message: "\(message) (\(path))", sql: nil)
            }
        }
        handle = db
        self.path = path
    }

    private static func open(_ name: String, flags: Int32, shownAs: String? = nil) throws -> OpaquePointer {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(name, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw DatabaseError(code: rc, message: "\(message) (\(shownAs ?? name))", sql: nil)
        }
        sqlite3_extended_result_codes(db, 1)
        // A reader meets a writer opening or closing the database (its WAL checkpoint takes an exclusive lock for
        // a moment): it waits rather than failing with "database is locked". Writers set their own timeout.
        if flags & SQLITE_OPEN_READONLY != 0 { sqlite3_busy_timeout(db, readerBusyTimeoutMs) }
        return db
    }

    /// Reads the schema: the first access that touches the file.
    private static func probe(_ db: OpaquePointer) -> Int32 {
        sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", nil, nil, nil)
    }

    /// `file:` URI for `path` with `immutable=1` (`%`, `?`, `#` and non-ASCII bytes escaped; a relative path stays relative).
    static func immutableURI(_ path: String) -> String {
        var out = "file:"
        for b in path.utf8 {
            switch b {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"), 0x80...:
                out += "%" + String(b, radix: 16, uppercase: true)
            default: out.unicodeScalars.append(UnicodeScalar(b))
            }
        }
        return out + "?immutable=1"
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
    /// `committing` wraps the COMMIT (a run shows progress while a large one writes the WAL).
    public func transaction<R>(committing: (() throws -> Void) throws -> Void = { try $0() }, _ body: () throws -> R) throws -> R {
        try execute("BEGIN IMMEDIATE")
        do {
            let r = try body()
            try committing { try execute("COMMIT") }
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
