/// Everything that can go wrong finding, reading or running a canned query. Each description is one sentence
/// that names the query, the parameter or the file concerned.
public enum QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    case noCatalog(searched: [String])
    case unknownQuery(name: String, known: [String])
    case unreadableFile(path: String, reason: String)
    case badHeader(query: String, line: Int, message: String)
    case emptySQL(query: String)
    case badParameterArgument(String)
    case duplicateParameter(name: String)
    case unknownParameter(query: String, name: String, known: [String])
    case missingParameter(query: String, name: String, hint: String)
    case badParameterValue(query: String, name: String, problem: String)
    case unknownFormat(String)
    case database(query: String, message: String)
    /// The query's SQL does more than read, or holds more than one statement.
    case refused(query: String, message: String)

    public var description: String {
        switch self {
        case .noCatalog(let searched):
            return "No queries folder found (looked in \(searched.joined(separator: ", "))); set CLICKSTREAM_QUERIES or pass a path to a .sql file."
        case .unknownQuery(let name, let known):
            return "No canned query named '\(name)'; known queries: \(known.isEmpty ? "none" : known.joined(separator: ", "))."
        case .unreadableFile(let path, let reason):
            return "Cannot read query file \(path): \(reason)."
        case .badHeader(let query, let line, let message):
            return "Query '\(query)' header line \(line): \(message)."
        case .emptySQL(let query):
            return "Query '\(query)' has no SQL statement after its header."
        case .badParameterArgument(let arg):
            return "--param expects name=value, got '\(arg)'."
        case .duplicateParameter(let name):
            return "--param \(name) is given more than once."
        case .unknownParameter(let query, let name, let known):
            return "Query '\(query)' has no parameter '\(name)'; its parameters are: \(known.isEmpty ? "none" : known.joined(separator: ", "))."
        case .missingParameter(let query, let name, let hint):
            return "Query '\(query)' needs --param \(name)=…\(hint.isEmpty ? "" : " (\(hint))")."
        case .badParameterValue(let query, let name, let problem):
            return "Query '\(query)' parameter \(name): \(problem)."
        case .unknownFormat(let f):
            return "Unknown output format '\(f)'; use table, csv or json."
        case .refused(let query, let message):
            return "Query '\(query)' refused: \(message)."
        case .database(let query, let message):
            return "Query '\(query)' failed: \(message)."
        }
    }
}
