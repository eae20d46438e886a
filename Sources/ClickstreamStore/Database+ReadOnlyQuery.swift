import CSQLite

/// Queries from outside (canned queries, a `.sql` file): one statement that only reads. A read-only connection
/// refuses writes to its own database, but not `VACUUM INTO 'file'` (it writes a new file) nor `ATTACH`; an
/// authorizer that allows only reading refuses ATTACH and writes at prepare time, `sqlite3_stmt_readonly` refuses
/// VACUUM, and the text after the first statement must be empty (SQLite would silently ignore it).
extension Database {
    /// Prepares `sql` as one read-only statement, or throws `StoreError.notReadOnly` / `.severalStatements`.
    public func prepareReadOnlyQuery(_ sql: String) throws -> Statement {
        let denied = DeniedAction()
        let context = Unmanaged.passUnretained(denied).toOpaque()
        sqlite3_set_authorizer(handle, { context, action, a, b, _, _ in
            switch action {
            case SQLITE_SELECT, SQLITE_READ, SQLITE_FUNCTION, SQLITE_RECURSIVE:
                return SQLITE_OK
            default:
                let d = Unmanaged<DeniedAction>.fromOpaque(context!).takeUnretainedValue()
                let table = a.map { String(cString: $0) }
                // CREATE and DROP ask first to write the schema table, then for themselves: let the first pass so
                // the refusal names the statement. (The schema table cannot be written directly, and
                // `sqlite3_stmt_readonly` is checked after.)
                if action == SQLITE_INSERT || action == SQLITE_DELETE || action == SQLITE_UPDATE,
                   table == "sqlite_master" || table == "sqlite_temp_master" { return SQLITE_OK }
                if d.text == nil { d.text = DeniedAction.describe(action, table, b.map { String(cString: $0) }) }
                return SQLITE_DENY
            }
        }, context)
        defer { sqlite3_set_authorizer(handle, nil, nil) }
        return try withExtendedLifetime(denied) {
            try sql.withCString { text in
                var st: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let rc = sqlite3_prepare_v2(handle, text, -1, &st, &tail)
                if let what = denied.text {
                    sqlite3_finalize(st)
                    throw StoreError.notReadOnly(what: what)
                }
                guard rc == SQLITE_OK, let st else {
                    sqlite3_finalize(st)
                    throw DatabaseError(code: rc, message: lastErrorMessage, sql: sql)
                }
                let statement = Statement(database: self, handle: st, sql: sql)
                // VACUUM (INTO) asks the authorizer nothing: a statement that is not read-only, or returns no
                // columns (every read does), is refused by what SQLite says of it.
                if sqlite3_stmt_readonly(st) == 0 || sqlite3_column_count(st) == 0 {
                    let word = sql.split(whereSeparator: { $0.isWhitespace || $0 == ";" }).first.map { $0.uppercased() } ?? "it"
                    throw StoreError.notReadOnly(what: word == "VACUUM" ? "VACUUM" : "\(word) (it returns no rows)")
                }
                // What follows the first statement must prepare to nothing (only spaces and comments).
                if let tail, tail.pointee != 0 {
                    var next: OpaquePointer?
                    let rest = String(cString: tail)
                    let rc2 = sqlite3_prepare_v2(handle, tail, -1, &next, nil)
                    sqlite3_finalize(next)
                    if next != nil || rc2 != SQLITE_OK || denied.text != nil {
                        var shown = rest.trimmingLeadingSpace.prefix(60)
                        while shown.last == ";" || shown.last?.isWhitespace == true { shown.removeLast() }
                        throw StoreError.severalStatements(rest: String(shown))
                    }
                }
                return statement
            }
        }
    }
}

/// What the authorizer refused first, for the error message.
final class DeniedAction {
    var text: String?

    static func describe(_ action: Int32, _ a: String?, _ b: String?) -> String {
        switch action {
        case SQLITE_ATTACH: return "ATTACH \(a.map { "'\($0)'" } ?? "")".trimmingTrailingSpace
        case SQLITE_DETACH: return "DETACH"
        case SQLITE_INSERT: return "INSERT into \(a ?? "?")"
        case SQLITE_UPDATE: return "UPDATE of \(a ?? "?")"
        case SQLITE_DELETE: return "DELETE from \(a ?? "?")"
        case SQLITE_PRAGMA: return "PRAGMA \(a ?? "")"
        case SQLITE_TRANSACTION: return "a transaction statement"
        case SQLITE_SAVEPOINT: return "SAVEPOINT"
        case SQLITE_CREATE_TABLE, SQLITE_CREATE_TEMP_TABLE: return "CREATE TABLE \(a ?? "")"
        case SQLITE_CREATE_VIEW, SQLITE_CREATE_TEMP_VIEW: return "CREATE VIEW \(a ?? "")"
        case SQLITE_CREATE_INDEX, SQLITE_CREATE_TEMP_INDEX: return "CREATE INDEX \(a ?? "")"
        case SQLITE_CREATE_TRIGGER, SQLITE_CREATE_TEMP_TRIGGER: return "CREATE TRIGGER \(a ?? "")"
        case SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_TABLE: return "DROP TABLE \(a ?? "")"
        case SQLITE_ALTER_TABLE: return "ALTER TABLE \(b ?? "")"
        case SQLITE_REINDEX: return "REINDEX"
        case SQLITE_ANALYZE: return "ANALYZE"
        case SQLITE_CREATE_VTABLE: return "CREATE VIRTUAL TABLE \(a ?? "")"
        case SQLITE_DROP_VTABLE: return "DROP VIRTUAL TABLE \(a ?? "")"
        default: return "a statement that is not a read (authorizer action \(action))"
        }
    }
}

extension String {
    fileprivate var trimmingLeadingSpace: Substring { drop(while: { $0.isWhitespace }) }
    fileprivate var trimmingTrailingSpace: String {
        var s = Substring(self)
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
