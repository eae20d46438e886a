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
            var s = TOMLScanner(Array(lines[i].unicodeScalars), line: lineNumber)
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
                } catch var e as SyntaxError where e.message != TOMLScanner.unterminatedArray {
                    e.key = current.isEmpty ? key : "\(current).\(key)"
                    throw e
                } catch let e as SyntaxError where e.message == TOMLScanner.unterminatedArray {
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
