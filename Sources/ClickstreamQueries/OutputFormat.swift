/// How `clickstream query` prints rows.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned columns with a header and a separator line; numbers right-aligned.
    case table
    /// RFC 4180: a header line, fields quoted when they hold a comma, a quote, CR or LF.
    case csv
    /// An array of objects keyed by column name, numbers as numbers, NULL as null.
    case json

    public init(parsing text: String) throws {
        guard let f = OutputFormat(rawValue: text.lowercased()) else { throw QueryError.unknownFormat(text) }
        self = f
    }
}
