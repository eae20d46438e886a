import Foundation

/// The tables of a report page that say which canned query they show (`data-query`, `data-params`), read back as
/// cell text, so a test can compare them with the query's own rows.
struct HTMLTable: Equatable {
    var query: String
    var params: String?
    var header: [String]
    var rows: [[String]]

    static func all(in html: String) -> [HTMLTable] {
        let table = try! NSRegularExpression(pattern: "<table data-query=\"([^\"]+)\"(?: data-params=\"([^\"]*)\")?>(.*?)</table>", options: [.dotMatchesLineSeparators])
        let ns = html as NSString
        return table.matches(in: html, range: NSRange(location: 0, length: ns.length)).map { m in
            let body = ns.substring(with: m.range(at: 3))
            let params = m.range(at: 2).location == NSNotFound ? nil : unescape(ns.substring(with: m.range(at: 2)))
            return HTMLTable(query: ns.substring(with: m.range(at: 1)), params: params,
                             header: cells(body, tag: "th").first ?? [], rows: cells(body, tag: "td"))
        }
    }

    private static func cells(_ body: String, tag: String) -> [[String]] {
        let row = try! NSRegularExpression(pattern: "<tr>(.*?)</tr>", options: [.dotMatchesLineSeparators])
        let cell = try! NSRegularExpression(pattern: "<\(tag)[^>]*>(.*?)</\(tag)>", options: [.dotMatchesLineSeparators])
        let ns = body as NSString
        return row.matches(in: body, range: NSRange(location: 0, length: ns.length)).compactMap { r in
            let inner = ns.substring(with: r.range(at: 1))
            let ins = inner as NSString
            let values = cell.matches(in: inner, range: NSRange(location: 0, length: ins.length)).map { unescape(ins.substring(with: $0.range(at: 1))) }
            return values.isEmpty ? nil : values
        }
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
