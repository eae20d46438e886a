import ClickstreamCore

extension JobFile {
    /// Typed access with errors that name the file, line and key.
    struct Reader {
        let document: TOMLDocument
        let path: String

        func error(_ table: String, _ key: String, _ message: String) -> JobFileError {
            JobFileError(path: path, line: document.tables[table]?.entries[key]?.line ?? document.tables[table]?.line,
                         key: "\(table).\(key)", message: message)
        }

        func allowTables(_ known: [String]) throws {
            for name in document.tableOrder where !name.isEmpty && !known.contains(name) {
                throw JobFileError(path: path, line: document.tables[name]!.line, key: nil,
                                   message: "unknown table [\(name)] (known: \(known.map { "[\($0)]" }.joined(separator: ", ")))")
            }
            if let first = document.tables[""]!.order.first {
                throw JobFileError(path: path, line: document.tables[""]!.entries[first]!.line, key: first,
                                   message: "keys belong in a table such as [job]; put a [table] header above this line")
            }
        }

        func allowKeys(_ table: String, _ known: [String]) throws {
            guard let t = document.tables[table] else { return }
            for key in t.order where !known.contains(key) {
                throw JobFileError(path: path, line: t.entries[key]!.line, key: "\(table).\(key)",
                                   message: "unknown key (known in [\(table)]: \(known.joined(separator: ", ")))")
            }
        }

        func entry(_ table: String, _ key: String, required: Bool) throws -> TOMLDocument.Entry? {
            if let e = document.tables[table]?.entries[key] { return e }
            if required {
                let hint = document.tables[table] == nil ? "required; add a [\(table)] table with \(key) = …" : "required key is missing"
                throw JobFileError(path: path, line: document.tables[table]?.line, key: "\(table).\(key)", message: hint)
            }
            return nil
        }

        func string(_ table: String, _ key: String, required: Bool = false) throws -> String? {
            guard let e = try entry(table, key, required: required) else { return nil }
            guard case let .string(s) = e.value else { throw error(table, key, "must be a string (in quotes), not \(e.value.typeName)") }
            return s
        }

        func stringArray(_ table: String, _ key: String, required: Bool = false) throws -> [String]? {
            guard let e = try entry(table, key, required: required) else { return nil }
            guard case let .array(items) = e.value else {
                throw error(table, key, "must be an array of strings such as [\"…\"], not \(e.value.typeName)")
            }
            return try items.map {
                guard case let .string(s) = $0 else { throw error(table, key, "must be an array of strings, but holds \($0.typeName)") }
                return s
            }
        }

        func bool(_ table: String, _ key: String) throws -> Bool? {
            guard let e = try entry(table, key, required: false) else { return nil }
            guard case let .bool(b) = e.value else { throw error(table, key, "must be true or false, not \(e.value.typeName)") }
            return b
        }

        func integer(_ table: String, _ key: String, range: ClosedRange<Int>) throws -> Int? {
            guard let e = try entry(table, key, required: false) else { return nil }
            guard case let .integer(i) = e.value else { throw error(table, key, "must be an integer, not \(e.value.typeName)") }
            guard range.contains(Int(i)) else { throw error(table, key, "must be between \(range.lowerBound) and \(range.upperBound), not \(i)") }
            return Int(i)
        }

        func number(_ table: String, _ key: String) throws -> Double? {
            guard let e = try entry(table, key, required: false) else { return nil }
            switch e.value {
            case let .integer(i): return Double(i)
            case let .float(d): return d
            default: throw error(table, key, "must be a number, not \(e.value.typeName)")
            }
        }

        func time(_ table: String, _ key: String, required: Bool, now: Int64) throws -> Int64? {
            guard let text = try string(table, key, required: required) else { return nil }
            do { return try TimeExpression.parse(text, now: now) } catch { throw self.error(table, key, "\(error)") }
        }
    }
}
