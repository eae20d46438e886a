import ClickstreamCore
import Foundation
import TOMLKit

extension JobFile {
    /// Typed access with errors that name the file, line and key. Strings expand `${VAR}` (and `${VAR:-default}`)
    /// from the environment, as Vector and Benthos configurations do; an unset variable without a default is an
    /// error naming it.
    struct Reader {
        let document: JobDocument
        let path: String
        let environment: [String: String]

        func error(_ table: String, _ key: String, _ message: String) -> JobFileError {
            JobFileError(path: path, line: document.lines.key(key, in: table) ?? document.lines.table(of: table),
                         key: "\(table).\(key)", message: message)
        }

        func allowTables(_ known: [String]) throws {
            for name in document.tableNames where !known.contains(name) {
                throw JobFileError(path: path, line: document.lines.table(of: name), key: nil,
                                   message: "unknown table [\(name)] (known: \(known.map { "[\($0)]" }.joined(separator: ", ")))")
            }
            if let first = document.keys(of: "").first {
                throw JobFileError(path: path, line: document.lines.key(first, in: ""), key: first,
                                   message: "keys belong in a table such as [job]; put a [table] header above this line")
            }
        }

        func allowKeys(_ table: String, _ known: [String]) throws {
            for key in document.keys(of: table) where !known.contains(key) {
                throw JobFileError(path: path, line: document.lines.key(key, in: table), key: "\(table).\(key)",
                                   message: "unknown key (known in [\(table)]: \(known.joined(separator: ", ")))")
            }
        }

        func has(_ table: String) -> Bool { document.table(table) != nil }

        func value(_ table: String, _ key: String, required: Bool) throws -> TOMLValueConvertible? {
            if let v = document.table(table)?[key] { return v }
            if required {
                let hint = has(table) ? "required key is missing" : "required; add a [\(table)] table with \(key) = …"
                throw JobFileError(path: path, line: document.lines.table(of: table), key: "\(table).\(key)", message: hint)
            }
            return nil
        }

        func string(_ table: String, _ key: String, required: Bool = false) throws -> String? {
            guard let v = try value(table, key, required: required) else { return nil }
            guard let s = v.string else { throw error(table, key, "must be a string (in quotes), not \(Self.describe(v))") }
            return try expand(s, table, key)
        }

        func stringArray(_ table: String, _ key: String, required: Bool = false) throws -> [String]? {
            guard let v = try value(table, key, required: required) else { return nil }
            guard let items = v.array else {
                throw error(table, key, "must be an array of strings such as [\"…\"], not \(Self.describe(v))")
            }
            return try items.map { item in
                guard let s = item.string else { throw error(table, key, "must be an array of strings, but holds \(Self.describe(item))") }
                return try expand(s, table, key)
            }
        }

        func bool(_ table: String, _ key: String) throws -> Bool? {
            guard let v = try value(table, key, required: false) else { return nil }
            guard v.type == .bool, let b = v.bool else { throw error(table, key, "must be true or false, not \(Self.describe(v))") }
            return b
        }

        func integer(_ table: String, _ key: String, range: ClosedRange<Int>) throws -> Int? {
            guard let v = try value(table, key, required: false) else { return nil }
            guard v.type == .int, let i = v.int else { throw error(table, key, "expected an integer, got \(Self.describe(v))") }
            guard range.contains(i) else { throw error(table, key, "must be between \(range.lowerBound) and \(range.upperBound), not \(i)") }
            return i
        }

        func number(_ table: String, _ key: String) throws -> Double? {
            guard let v = try value(table, key, required: false) else { return nil }
            switch v.type {
            case .int: return Double(v.int!)
            case .double: return v.double!
            default: throw error(table, key, "expected a number, got \(Self.describe(v))")
            }
        }

        /// A TIME: a string (`"yesterday"`, `"-6h"`, an ISO instant) or a TOML date or offset date-time.
        func time(_ table: String, _ key: String, required: Bool, now: Int64) throws -> Int64? {
            guard let v = try value(table, key, required: required) else { return nil }
            switch v.type {
            case .date:
                let d = v.date!
                return try parseTime(String(format: "%04d-%02d-%02d", d.year, d.month, d.day), table, key, now: now)
            case .dateTime:
                let dt = v.dateTime!
                guard let offset = dt.offset else {
                    throw error(table, key, "a date-time needs an offset (Z or +02:00), or write it as a string")
                }
                let ms = dt.time.nanoSecond / 1_000_000
                let sign = offset.offset < 0 ? "-" : "+"
                let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03d%@%02d:%02d", dt.date.year, dt.date.month, dt.date.day,
                                  dt.time.hour, dt.time.minute, dt.time.second, ms, sign, abs(offset.offset) / 60, abs(offset.offset) % 60)
                return try parseTime(text, table, key, now: now)
            default:
                guard let s = try string(table, key, required: required) else { return nil }
                return try parseTime(s, table, key, now: now)
            }
        }

        private func parseTime(_ text: String, _ table: String, _ key: String, now: Int64) throws -> Int64 {
            do { return try TimeExpression.parse(text, now: now) } catch { throw self.error(table, key, "\(error)") }
        }

        /// `${NAME}` → the variable's value; `${NAME:-fallback}` → the fallback when unset or empty; `$$` → `$`.
        func expand(_ s: String, _ table: String, _ key: String) throws -> String {
            guard s.contains("$") else { return s }
            var out = ""
            var rest = Substring(s)
            while let dollar = rest.firstIndex(of: "$") {
                out += rest[..<dollar]
                let after = rest[rest.index(after: dollar)...]
                if after.hasPrefix("$") {
                    out += "$"
                    rest = after.dropFirst()
                } else if after.hasPrefix("{"), let close = after.firstIndex(of: "}") {
                    let body = after[after.index(after: after.startIndex)..<close]
                    let parts = body.split(separator: ":-", maxSplits: 1, omittingEmptySubsequences: false)
                    let name = String(parts[0])
                    guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                        throw error(table, key, "${\(body)} is not a variable reference (use ${NAME} or ${NAME:-default})")
                    }
                    if let v = environment[name], !(parts.count == 2 && v.isEmpty) {
                        out += v
                    } else if parts.count == 2 {
                        out += parts[1]
                    } else {
                        throw error(table, key, "environment variable \(name) is not set (write ${\(name):-default} for a fallback)")
                    }
                    rest = after[after.index(after: close)...]
                } else {
                    out += "$"
                    rest = after
                }
            }
            return out + rest
        }

        static func describe(_ v: TOMLValueConvertible) -> String {
            switch v.type {
            case .string: return "\"\(v.string!)\""
            case .int: return "the integer \(v.int!)"
            case .double: return "the number \(v.double!)"
            case .bool: return v.bool! ? "true" : "false"
            case .array: return "an array"
            case .table: return "a table"
            case .date: return "a date"
            case .time: return "a time of day"
            case .dateTime: return "a date-time"
            }
        }
    }
}
