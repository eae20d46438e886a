/// An SQLite failure with everything a person needs: the result code, SQLite's message and the SQL.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public let sql: String?

    public var description: String {
        var s = "SQLite error \(code): \(message)"
        if let sql { s += " - while executing `\(sql)`" }
        return s
    }
}
