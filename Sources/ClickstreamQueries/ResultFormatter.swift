import ClickstreamCore
import ClickstreamStore
import Foundation

/// Renders a `QueryResult` as text. Every format ends with a newline.
public enum ResultFormatter {
    /// `maxWidth` cuts a table to that many columns (the terminal's width), shortening the widest text columns
    /// with `…`; nil keeps every cell whole (`--wide`, or output that is not a terminal).
    public static func format(_ result: QueryResult, as format: OutputFormat, maxWidth: Int? = nil) -> String {
        switch format {
        case .table: return table(result, maxWidth: maxWidth)
        case .csv: return csv(result)
        case .json: return json(result)
        }
    }

    // MARK: table

    /// Columns separated by two spaces, a line of dashes under the header, a `(N rows)` footer. A column whose
    /// values are all numbers (NULLs aside) is right-aligned, header included. NULL prints as `NULL`. Widths are
    /// display widths (a CJK character takes two columns).
    public static func table(_ result: QueryResult, maxWidth: Int? = nil) -> String {
        let n = result.columns.count
        var cells = result.rows.map { row in row.map(text(forTable:)) }
        var header = result.columns.map(\.escapingControlCharacters)
        var numeric = [Bool](repeating: false, count: n)
        var widths = header.map(\.displayWidth)
        for c in 0..<n {
            var sawNumber = false, sawOther = false
            for row in result.rows where c < row.count {
                switch row[c] {
                case .integer, .real: sawNumber = true
                case .null: break
                default: sawOther = true
                }
            }
            numeric[c] = sawNumber && !sawOther
            for row in cells where c < row.count { widths[c] = max(widths[c], row[c].displayWidth) }
        }
        if let maxWidth, n > 0 {
            // Shorten the widest text column, one column at a time, until the table fits (numbers stay whole).
            let total = { widths.reduce(2 * (n - 1), +) }
            while total() > maxWidth, let c = (0..<n).filter({ !numeric[$0] && widths[$0] > 4 }).max(by: { widths[$0] < widths[$1] }) {
                widths[c] -= 1
            }
            for c in 0..<n {
                header[c] = header[c].truncated(toDisplayWidth: widths[c])
                for r in cells.indices where c < cells[r].count { cells[r][c] = cells[r][c].truncated(toDisplayWidth: widths[c]) }
            }
        }
        func line(_ values: [String]) -> String {
            var parts: [String] = []
            for c in 0..<n {
                let v = c < values.count ? values[c] : ""
                let pad = String(repeating: " ", count: max(0, widths[c] - v.displayWidth))
                parts.append(numeric[c] ? pad + v : v + pad)
            }
            var s = parts.joined(separator: "  ")
            while s.last == " " { s.removeLast() }
            return s
        }
        var out = line(header) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in cells { out += line(row) + "\n" }
        out += "(\(Plural.count(result.rows.count, "row")))\n"
        return out
    }

    static func text(forTable v: SQLValue) -> String {
        switch v {
        case .null: return "NULL"
        case .text(let s):
            // One row per line, and nothing a terminal would obey.
            return s.escapingControlCharacters
        default: return plainText(v)
        }
    }

    /// A value as text: integers and reals as SQLite prints them, blobs as their UTF-8 text.
    static func plainText(_ v: SQLValue) -> String {
        switch v {
        case .null: return ""
        case .integer(let i): return String(i)
        case .real(let d): return realText(d)
        case .text(let s): return s
        case .blob(let b): return String(decoding: b, as: UTF8.self)
        }
    }

    static func realText(_ d: Double) -> String {
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) + ".0" }
        return String(d)
    }

    // MARK: csv

    /// RFC 4180 fields; NULL is an empty field. Lines end with LF.
    public static func csv(_ result: QueryResult) -> String {
        var out = result.columns.map(csvField).joined(separator: ",") + "\n"
        for row in result.rows {
            out += row.map { csvField(plainText($0)) }.joined(separator: ",") + "\n"
        }
        return out
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: json

    /// `[` then one object per line, keys in column order, then `]`. Non-finite reals become null.
    public static func json(_ result: QueryResult) -> String {
        if result.rows.isEmpty { return "[]\n" }
        var out = "[\n"
        for (r, row) in result.rows.enumerated() {
            var fields: [String] = []
            for (c, name) in result.columns.enumerated() {
                let v = c < row.count ? row[c] : .null
                fields.append(jsonString(name) + ": " + jsonValue(v))
            }
            out += "  {" + fields.joined(separator: ", ") + "}" + (r + 1 < result.rows.count ? ",\n" : "\n")
        }
        return out + "]\n"
    }

    static func jsonValue(_ v: SQLValue) -> String {
        switch v {
        case .null: return "null"
        case .integer(let i): return String(i)
        case .real(let d): return d.isFinite ? realText(d) : "null"
        case .text(let s): return jsonString(s)
        case .blob(let b): return jsonString(String(decoding: b, as: UTF8.self))
        }
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
