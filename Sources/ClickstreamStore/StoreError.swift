/// A store that cannot be used for a reason of its own, not an SQLite failure (those are `DatabaseError`).
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database was made by a clickstream with another schema; `found` is its `_meta` schema_version.
    case schemaVersion(path: String, found: String, expected: Int)
    /// The file is an SQLite database that clickstream did not make (it has tables but no `_meta`): its tables
    /// are listed; adding ours (and switching its journal mode) needs `--init`.
    case foreign(path: String, tables: [String])
    /// A query that would do more than read (`what`: `VACUUM`, `ATTACH 'x'`, `INSERT into t` …).
    case notReadOnly(what: String)
    /// A query text with a second statement after the first (`rest`: its start).
    case severalStatements(rest: String)
    /// The run's scratch file beside the database (`path`) could not be created, written or read.
    case spill(path: String, message: String)

    public var description: String {
        switch self {
        case let .schemaVersion(path, found, expected):
            // The "SQLite error 1" prefix is what this refusal printed when it was a DatabaseError; scripts and
            // tests match the whole line, so it is kept.
            return "SQLite error 1: \(path) has schema version \(found), this clickstream needs \(expected): "
                + "replay into a new database file"
        case let .notReadOnly(what):
            return "queries may only read; \(what) is not allowed"
        case let .severalStatements(rest):
            return "a query must be one statement; found another after the first: \(rest)"
        case let .spill(path, message):
            return "the run's scratch file \(path) (beside the database): \(message)"
        case let .foreign(path, tables):
            let shown = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "")
            return "\(path) is an SQLite database that clickstream did not make (it has tables \(shown)); nothing was "
                + "changed. Name a new file, or pass --init to add clickstream's tables to it (and switch it to WAL)"
        }
    }
}
