/// A store that cannot be used for a reason of its own, not an SQLite failure (those are `DatabaseError`).
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database was made by a clickstream with another schema; `found` is its `_meta` schema_version.
    case schemaVersion(path: String, found: String, expected: Int)

    public var description: String {
        switch self {
        case let .schemaVersion(path, found, expected):
            // The "SQLite error 1" prefix is what this refusal printed when it was a DatabaseError; scripts and
            // tests match the whole line, so it is kept.
            return "SQLite error 1: \(path) has schema version \(found), this clickstream needs \(expected): "
                + "replay into a new database file"
        }
    }
}
