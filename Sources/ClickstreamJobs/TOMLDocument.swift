/// The small TOML subset job files use, parsed into tables of keyed values that remember their line.
///
/// Supported: `# comments`, `[table]` and `[dotted.table]` headers, `key = value` with bare or quoted keys, and
/// values that are basic strings (`"…"` with `\" \\ \n \t \r \uXXXX` escapes), literal strings (`'…'`), integers
/// (`_` separators allowed), floats, `true`/`false`, and arrays of those (may span lines, trailing comma allowed).
/// Not supported (rejected with a message): inline tables, arrays of tables, dotted keys, multi-line strings, dates.
public struct TOMLDocument: Sendable, Equatable {
    public indirect enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int64)
        case float(Double)
        case bool(Bool)
        case array([Value])

        public var typeName: String {
            switch self {
            case .string: return "a string"
            case .integer: return "an integer"
            case .float: return "a number"
            case .bool: return "true or false"
            case .array: return "an array"
            }
        }
    }

    public struct Entry: Sendable, Equatable {
        public var value: Value
        public var line: Int
    }

    public struct Table: Sendable, Equatable {
        /// Line of the `[header]` (0 for the root table).
        public var line: Int
        public var entries: [String: Entry] = [:]
        /// Keys in file order.
        public var order: [String] = []
    }

    /// A syntax error with its 1-based line.
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        /// `table.key` when the error is in a key's value.
        public var key: String? = nil
        public var description: String { "line \(line): " + (key.map { "\($0): " } ?? "") + message }
    }

    /// Tables by dotted name; the root table is `""`.
    public var tables: [String: Table] = ["": Table(line: 0)]
    /// Table names in file order (root first).
    public var tableOrder: [String] = [""]

    public init(parsing text: String) throws {
        var current = ""
        // A byte order mark some editors write is not a key.
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        var i = 0
        while i < lines.count {
            let lineNumber = i + 1
            var s = Scanner(Array(lines[i].unicodeScalars), line: lineNumber)
            i += 1
            s.skipSpaces()
            if s.atEndOrComment { continue }
            if s.peek == "[" {
                s.advance()
                if s.peek == "[" { throw s.error("arrays of tables ([[…]]) are not supported; use one [table] with arrays") }
                var parts: [String] = []
                repeat {
                    s.skipSpaces()
                    parts.append(try s.key())
                    s.skipSpaces()
                } while s.consume(".")
                guard s.consume("]") else { throw s.error("expected ] to close the table header") }
                s.skipSpaces()
                guard s.atEndOrComment else { throw s.error("unexpected text after the table header") }
                let name = parts.joined(separator: ".")
                guard tables[name] == nil || name.isEmpty else { throw s.error("table [\(name)] is defined twice") }
                tables[name] = Table(line: lineNumber)
                tableOrder.append(name)
                current = name
                continue
            }
            let key = try s.key()
            s.skipSpaces()
            if s.peek == "." { throw s.error("dotted keys are not supported; use a [table] header") }
            guard s.consume("=") else { throw s.error("expected = after key \(key)") }
            s.skipSpaces()
            // An array may continue over the following lines: join them until it parses.
            var value: Value
            let valueStart = s.pos
            while true {
                s.pos = valueStart
                do {
                    value = try s.value()
                    break
                } catch var e as SyntaxError where e.message != Scanner.unterminatedArray {
                    e.key = current.isEmpty ? key : "\(current).\(key)"
                    throw e
                } catch let e as SyntaxError where e.message == Scanner.unterminatedArray {
                    guard i < lines.count else {
                        throw SyntaxError(line: lineNumber, message: "unterminated array: expected ] before the end of the file",
                                          key: current.isEmpty ? key : "\(current).\(key)")
                    }
                    s.append(Array(("\n" + lines[i]).unicodeScalars))
                    i += 1
                }
            }
            s.skipSpaces()
            guard s.atEndOrComment else { throw s.error("unexpected text after the value of \(key)") }
            if tables[current]!.entries[key] != nil {
                throw SyntaxError(line: lineNumber, message: "key \(key) is defined twice in \(current.isEmpty ? "the top level" : "[\(current)]")")
            }
            tables[current]!.entries[key] = Entry(value: value, line: lineNumber)
            tables[current]!.order.append(key)
        }
    }
}

/// A cursor over one logical line (an array may have appended more).
private struct Scanner {
    static let unterminatedArray = "unterminated array: expected ]"
    var chars: [Unicode.Scalar]
    var pos = 0
    let line: Int
    /// Line the cursor is on (arrays over several lines).
    var currentLine: Int { line + chars[..<min(pos, chars.count)].filter { $0 == "\n" }.count }

    init(_ chars: [Unicode.Scalar], line: Int) {
        self.chars = chars
        self.line = line
    }

    var peek: Unicode.Scalar? { pos < chars.count ? chars[pos] : nil }
    mutating func advance() { pos += 1 }
    mutating func append(_ more: [Unicode.Scalar]) { chars += more }
    mutating func consume(_ c: Unicode.Scalar) -> Bool {
        if peek == c { pos += 1; return true }
        return false
    }
    var atEndOrComment: Bool { peek == nil || peek == "#" }
    mutating func skipSpaces() { while let c = peek, c == " " || c == "\t" { pos += 1 } }
    /// Spaces, newlines and comments inside an array.
    mutating func skipBlank() {
        while let c = peek {
            if c == " " || c == "\t" || c == "\n" || c == "\r" { pos += 1 } else if c == "#" {
                while let d = peek, d != "\n" { _ = d; pos += 1 }
            } else { break }
        }
    }
    func error(_ message: String) -> TOMLDocument.SyntaxError { .init(line: currentLine, message: message) }

    static func isBare(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_" || c == "-"
    }

    mutating func key() throws -> String {
        if peek == "\"" || peek == "'" { return try string() }
        let start = pos
        while let c = peek, Self.isBare(c) { pos += 1 }
        guard pos > start else {
            throw error(peek.map { "unexpected character \"\($0)\"; expected a key" } ?? "expected a key")
        }
        return String(String.UnicodeScalarView(chars[start..<pos]))
    }

    mutating func value() throws -> TOMLDocument.Value {
        guard let c = peek else { throw error("missing value after =") }
        switch c {
        case "\"", "'": return .string(try string())
        case "[": return try array()
        case "{": throw error("inline tables ({…}) are not supported; use a [table] header")
        default: break
        }
        let start = pos
        while let c = peek, Self.isBare(c) || c == "." || c == "+" { pos += 1 }
        let word = String(String.UnicodeScalarView(chars[start..<pos]))
        if word == "true" { return .bool(true) }
        if word == "false" { return .bool(false) }
        let digits = word.replacingOccurrences(of: "_", with: "")
        if !digits.isEmpty, let i = Int64(digits) { return .integer(i) }
        if !digits.isEmpty, digits.contains(where: { $0.isNumber }), let d = Double(digits), d.isFinite { return .float(d) }
        if word.isEmpty { throw error("unexpected character \"\(c)\"; expected a value") }
        throw error("\(word) is not a value: strings need quotes (\"\(word)\")")
    }

    mutating func array() throws -> TOMLDocument.Value {
        _ = consume("[")
        var items: [TOMLDocument.Value] = []
        while true {
            skipBlank()
            if peek == nil { throw error(Self.unterminatedArray) }
            if consume("]") { return .array(items) }
            items.append(try value())
            skipBlank()
            if peek == nil { throw error(Self.unterminatedArray) }
            if consume(",") { continue }
            guard consume("]") else { throw error("expected , or ] in the array") }
            return .array(items)
        }
    }

    mutating func string() throws -> String {
        let quote = peek!
        pos += 1
        if quote == "\"" && peek == "\"" && pos + 1 < chars.count && chars[pos + 1] == "\"" {
            throw error("multi-line strings are not supported")
        }
        var out = String.UnicodeScalarView()
        while let c = peek {
            pos += 1
            if c == quote { return String(out) }
            if c == "\n" { break }
            if c == "\\" && quote == "\"" {
                guard let e = peek else { break }
                pos += 1
                switch e {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "u", "U":
                    let n = e == "u" ? 4 : 8
                    guard pos + n <= chars.count, let v = UInt32(String(String.UnicodeScalarView(chars[pos..<pos + n])), radix: 16),
                          let scalar = Unicode.Scalar(v) else { throw error("invalid \\\(e) escape") }
                    out.append(scalar)
                    pos += n
                default: throw error("invalid escape \\\(e) in a string")
                }
            } else {
                out.append(c)
            }
        }
        throw error("unterminated string: expected \(quote)")
    }
}
