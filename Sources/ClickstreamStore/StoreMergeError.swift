/// Why a part cannot be merged into a store.
public enum StoreMergeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not a clickstream database (a table is missing).
    case notAStore(path: String, missing: String)
    /// The part was written by a clickstream with another schema.
    case schemaVersion(path: String, found: String, expected: Int)
    /// The part and the store hold different events of one hour and neither holds all of them.
    case conflictingHour(path: String, hour: String, ours: Int, theirs: Int, shared: Int)

    public var description: String {
        switch self {
        case let .notAStore(path, missing):
            return "\(path) is not a clickstream database (it has no \(missing) table)"
        case let .schemaVersion(path, found, expected):
            return "\(path) has schema version \(found), this clickstream merges \(expected): replay the partition again with this version"
        case let .conflictingHour(path, hour, ours, theirs, shared):
            return "hour \(hour): the output holds \(ours) distinct events, \(path) holds \(theirs), \(shared) in both; "
                + "neither holds them all, so no exact merge exists: replay that hour from the sources with --rebuild"
        }
    }
}
