/// One SQL statement with named parameters (`:day`), described by a header comment block:
///
///     -- title: Top pages for a day
///     -- description: page views per page for one UTC day, most viewed first
///     -- param: day  (YYYY-MM-DD, required)
///     -- param: limit (integer, default 20)
///
/// A parameter is required when its parenthesised note contains the word `required`, has a default when the note
/// contains `default VALUE` (up to a comma or the closing parenthesis), and is otherwise optional (bound as NULL).
/// Its kind comes from the note too (`Parameter.Kind`), so a value is checked before the query runs.
/// Parameters the SQL uses but the header does not declare are required. Values are always bound, never spliced.
public struct CannedQuery: Equatable, Sendable {
    public struct Parameter: Equatable, Sendable {
        /// What values a parameter takes: `integer` (the word, or an integer default), a day (`YYYY-MM-DD`), an
        /// hour (`YYYY-MM-DDTHH`), or any text.
        public enum Kind: String, Equatable, Sendable {
            case integer, day, hour, text

            /// Why `value` is not of this kind (`expected an integer, got "fifty"`), or nil when it is.
            public func problem(with value: String) -> String? {
                switch self {
                case .text: return nil
                case .integer: return Int64(value) != nil ? nil : "expected an integer, got \"\(value)\""
                case .day: return Self.matches(value, "dddd-dd-dd") ? nil : "expected a day as YYYY-MM-DD, got \"\(value)\""
                case .hour: return Self.matches(value, "dddd-dd-ddTdd") ? nil : "expected an hour as YYYY-MM-DDTHH, got \"\(value)\""
                }
            }

            static func matches(_ value: String, _ shape: String) -> Bool {
                value.count == shape.count && zip(value, shape).allSatisfy { v, s in s == "d" ? v.isASCII && v.isNumber : v == s }
            }
        }

        public var name: String
        /// The parenthesised note, as written (`YYYY-MM-DD, required`).
        public var note: String
        public var isRequired: Bool
        public var defaultValue: String?
        public var kind: Kind

        public init(name: String, note: String = "", isRequired: Bool, defaultValue: String? = nil, kind: Kind = .text) {
            self.name = name
            self.note = note
            self.isRequired = isRequired
            self.defaultValue = defaultValue
            self.kind = kind
        }
    }

    /// The file name without `.sql` (`top-pages`).
    public var name: String
    public var title: String
    public var description: String
    /// In header order.
    public var parameters: [Parameter]
    /// The statement, without the header.
    public var sql: String
    /// Where it was read from, when it came from a file.
    public var path: String?

    public init(name: String, title: String, description: String, parameters: [Parameter], sql: String, path: String? = nil) {
        self.name = name
        self.title = title
        self.description = description
        self.parameters = parameters
        self.sql = sql
        self.path = path
    }

    /// Parses a query file's text: the leading `--` comment lines are the header, the rest is the statement.
    public init(name: String, text: String, path: String? = nil) throws {
        var title: String?
        var description = ""
        var parameters: [Parameter] = []
        var sqlLines: [Substring] = []
        var inHeader = true
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if inHeader {
                if trimmed.isEmpty { continue }
                if trimmed.hasPrefix("--") {
                    let body = trimmed.dropFirst(2).drop(while: { $0 == " " || $0 == "\t" })
                    guard let colon = body.firstIndex(of: ":") else { continue }
                    let key = body[..<colon].trimmingSpaces.lowercased()
                    let value = body[body.index(after: colon)...].trimmingSpaces
                    switch key {
                    case "title": title = value
                    case "description": description = value
                    case "param":
                        parameters.append(try Self.parseParameter(value, query: name, line: index + 1))
                    default: break
                    }
                    continue
                }
                inHeader = false
            }
            sqlLines.append(line)
        }
        let sql = sqlLines.joined(separator: "\n").trimmingSpacesAndNewlines
        guard !sql.isEmpty else { throw QueryError.emptySQL(query: name) }
        self.init(name: name, title: title ?? name, description: description, parameters: parameters, sql: sql, path: path)
    }

    public func parameter(named name: String) -> Parameter? { parameters.first { $0.name == name } }

    static func parseParameter(_ text: String, query: String, line: Int) throws -> Parameter {
        let name = String(text.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        guard !name.isEmpty, let first = name.first, !first.isNumber else {
            throw QueryError.badHeader(query: query, line: line, message: "'param:' must be followed by a parameter name")
        }
        let rest = text.dropFirst(name.count).trimmingSpaces
        var note = ""
        if !rest.isEmpty {
            guard rest.hasPrefix("("), rest.hasSuffix(")") else {
                throw QueryError.badHeader(query: query, line: line,
                                           message: "the note of parameter '\(name)' must be in parentheses")
            }
            note = String(rest.dropFirst().dropLast()).trimmingSpaces
        }
        let parts = note.split(whereSeparator: { $0 == "," || $0 == ";" }).map { $0.trimmingSpaces }
        let isRequired = parts.contains { $0.lowercased() == "required" }
        var defaultValue: String?
        for part in parts where part.lowercased().hasPrefix("default ") {
            defaultValue = String(part.dropFirst("default ".count)).trimmingSpaces
        }
        if isRequired && defaultValue != nil {
            throw QueryError.badHeader(query: query, line: line,
                                       message: "parameter '\(name)' cannot be both required and have a default")
        }
        let lower = note.lowercased()
        let kind: Parameter.Kind
        if lower.contains("yyyy-mm-ddthh") { kind = .hour }
        else if lower.contains("yyyy-mm-dd") { kind = .day }
        else if parts.contains(where: { $0.lowercased() == "integer" }) || defaultValue.flatMap({ Int64($0) }) != nil { kind = .integer }
        else { kind = .text }
        return Parameter(name: name, note: note, isRequired: isRequired, defaultValue: defaultValue, kind: kind)
    }
}
