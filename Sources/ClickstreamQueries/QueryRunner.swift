import ClickstreamStore

/// Runs canned queries against a database, binding `--param name=value` arguments by name.
///
/// Every parameter the SQL uses is bound: from the arguments, else the header's default, else NULL for an
/// optional one; a required one without a value, or an argument naming no parameter, is an error naming it.
/// A value that parses as a 64-bit integer is bound as an integer (so `LIMIT :limit` works), any other as text.
public struct QueryRunner {
    public let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Opens the database read-only and wraps it.
    public init(path: String) throws {
        self.database = try Database(path: path, readOnly: true)
    }

    /// Parses `name=value` strings (the values of repeated `--param` options). A value may contain `=`.
    public static func parseArguments(_ arguments: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for arg in arguments {
            guard let eq = arg.firstIndex(of: "="), eq != arg.startIndex else {
                throw QueryError.badParameterArgument(arg)
            }
            let name = String(arg[..<eq]).trimmingSpaces
            guard !name.isEmpty else { throw QueryError.badParameterArgument(arg) }
            guard out[name] == nil else { throw QueryError.duplicateParameter(name: name) }
            out[name] = String(arg[arg.index(after: eq)...])
        }
        return out
    }

    /// The value bound for a textual argument: an integer when it is one, text otherwise.
    public static func bindValue(_ text: String) -> SQLValue {
        if let i = Int64(text) { return .integer(i) }
        return .text(text)
    }

    /// Resolves the values to bind for `query`: checks `arguments` against its parameters and applies defaults.
    public static func bindings(for query: CannedQuery, usedNames: [String],
                                arguments: [String: String]) throws -> [String: SQLValue] {
        // Declared parameters first, then the ones the SQL uses without declaring them (required).
        var parameters = query.parameters
        for name in usedNames where query.parameter(named: name) == nil {
            parameters.append(.init(name: name, isRequired: true))
        }
        let known = parameters.map(\.name)
        for name in arguments.keys.sorted() where !known.contains(name) {
            throw QueryError.unknownParameter(query: query.name, name: name, known: known)
        }
        var values: [String: SQLValue] = [:]
        for p in parameters where usedNames.contains(p.name) {
            if let v = arguments[p.name] {
                if let problem = p.kind.problem(with: v) { throw QueryError.badParameterValue(query: query.name, name: p.name, problem: problem) }
                values[p.name] = bindValue(v)
            } else if let d = p.defaultValue {
                values[p.name] = bindValue(d)
            } else if p.isRequired {
                throw QueryError.missingParameter(query: query.name, name: p.name, hint: p.note)
            } else {
                values[p.name] = .null
            }
        }
        return values
    }

    /// Runs `query` with `arguments` (parameter name to textual value) and returns all its rows.
    public func run(_ query: CannedQuery, arguments: [String: String] = [:]) throws -> QueryResult {
        let statement: Statement
        do {
            statement = try database.prepareReadOnlyQuery(query.sql)
        } catch let e as StoreError {
            throw QueryError.refused(query: query.name, message: e.description)
        } catch let e as DatabaseError {
            throw QueryError.database(query: query.name, message: e.message)
        }
        let values = try Self.bindings(for: query, usedNames: statement.parameterNames, arguments: arguments)
        do {
            try statement.bind(named: values)
            let columns = (0..<statement.columnCount).map { statement.columnName($0) }
            let rows = try statement.rows()
            return QueryResult(columns: columns, rows: rows)
        } catch let e as DatabaseError {
            throw QueryError.database(query: query.name, message: e.message)
        }
    }
}
