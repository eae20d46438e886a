import Foundation
import TOMLKit

/// A job file parsed by TOMLKit (full TOML 1.0), with the line of every table header and key so that errors can
/// say `jobs/x.toml:7: queries.params.limit: …`. TOMLKit reports lines only for syntax errors; the lines of
/// valid keys come from `KeyLines`, a scan of the text that only has to recognise headers and `key =`.
struct JobDocument {
    struct SyntaxError: Error {
        var line: Int
        var message: String
    }

    let root: TOMLTable
    let lines: KeyLines

    init(parsing text: String) throws {
        // TOMLKit (toml++) rejects a byte-order mark; editors on Windows write one.
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        do { root = try TOMLTable(string: body) } catch let e as TOMLParseError {
            throw Self.explain(e, in: body)
        }
        lines = KeyLines(body)
    }

    /// toml++'s message ("Error while parsing value: could not determine value type"), said as our errors say
    /// things: the key of the line first, and for the commonest mistake, an unquoted string, the fix.
    static func explain(_ e: TOMLParseError, in text: String) -> SyntaxError {
        let lineNumber = e.source.begin.line
        var message = e.description
        if message.hasPrefix("Error while parsing ") { message = "invalid " + message.dropFirst("Error while parsing ".count) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lineNumber >= 1, lineNumber <= lines.count else { return SyntaxError(line: lineNumber, message: message) }
        let line = lines[lineNumber - 1]
        let table = lines[..<(lineNumber - 1)].compactMap { KeyLines.header(String($0)) }.last ?? ""
        guard let eq = line.firstIndex(of: "="), !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") else {
            return SyntaxError(line: lineNumber, message: message)
        }
        let key = KeyLines.normalise(String(line[..<eq]))
        let value = line[line.index(after: eq)...].prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces)
        if !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || "-_./".contains($0) }),
           !["true", "false", "inf", "nan"].contains(value), Double(value) == nil, Int(value) == nil,
           value.first.map({ !$0.isNumber }) ?? false {
            message = "\(value) is not a value: strings need quotes (\"\(value)\")"
        }
        return SyntaxError(line: lineNumber, message: (table.isEmpty ? key : table + "." + key) + ": " + message)
    }

    /// The table `a` or `a.b` (nil when absent).
    func table(_ dotted: String) -> TOMLTable? {
        var t: TOMLTable? = root
        for part in dotted.split(separator: ".") { t = t?[String(part)]?.table }
        return t
    }

    /// Every table's dotted name, in the order of their headers (nested ones included).
    var tableNames: [String] {
        var names: [String] = []
        func walk(_ t: TOMLTable, _ prefix: String) {
            for key in t.keys where t[key]?.type == .table {
                let name = prefix.isEmpty ? key : prefix + "." + key
                names.append(name)
                walk(t[key]!.table!, name)
            }
        }
        walk(root, "")
        return names.sorted { (lines.table(of: $0) ?? .max, $0) < (lines.table(of: $1) ?? .max, $1) }
    }

    /// The keys of a table that are not tables themselves, in the order they are written.
    func keys(of dotted: String) -> [String] {
        guard let t = dotted.isEmpty ? root : table(dotted) else { return [] }
        return t.keys.filter { t[$0]?.type != .table }
            .sorted { (lines.key($0, in: dotted) ?? .max, $0) < (lines.key($1, in: dotted) ?? .max, $1) }
    }
}

extension JobDocument {
    /// Line numbers of `[table]` headers and `key = ` lines, by a scan that skips strings and comments. It is not
    /// a parser: TOMLKit has already accepted the text; this only finds where things are.
    struct KeyLines {
        private var tables: [String: Int] = [:]
        private var keys: [String: Int] = [:]

        init(_ text: String) {
            var current = ""
            var inMultiline: String?
            var depth = 0
            for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if let delimiter = inMultiline {
                    if line.contains(delimiter) { inMultiline = nil }
                    continue
                }
                if depth > 0 {
                    depth += Self.bracketBalance(line)
                    continue
                }
                if let name = Self.header(line) {
                    current = name
                    tables[current] = tables[current] ?? i + 1
                    continue
                }
                guard let eq = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
                let key = Self.normalise(String(line[..<eq]))
                let full = current.isEmpty ? key : current + "." + key
                keys[full] = keys[full] ?? i + 1
                let value = line[line.index(after: eq)...]
                for d in ["\"\"\"", "'''"] where value.contains(d) && value.components(separatedBy: d).count == 2 { inMultiline = d }
                depth = max(0, Self.bracketBalance(String(value)))
            }
        }

        func table(of dotted: String) -> Int? { tables[dotted] }
        /// Keys and table headers together (`queries.params` is both a table and, to its parent, a key).
        var all: [String: Int] { keys.merging(tables) { key, _ in key } }
        func key(_ key: String, in table: String) -> Int? { keys[table.isEmpty ? key : table + "." + key] }

        /// The table a `[header]` line opens (`[queries.params]` → `queries.params`), or nil for any other line.
        static func header(_ line: String) -> String? {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("[") && !t.hasPrefix("[[") else { return nil }
            return normalise(String(t.dropFirst().prefix { $0 != "]" }))
        }

        /// `a . "b"` → `a.b`.
        static func normalise(_ s: String) -> String {
            s.split(separator: ".").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
                .joined(separator: ".")
        }

        /// Open minus closed brackets outside strings and comments (a multi-line array spans lines).
        static func bracketBalance(_ s: String) -> Int {
            var n = 0
            var quote: Character?
            for c in s {
                if let q = quote { if c == q { quote = nil }; continue }
                switch c {
                case "\"", "'": quote = c
                case "#": return n
                case "[", "{": n += 1
                case "]", "}": n -= 1
                default: break
                }
            }
            return n
        }
    }
}
