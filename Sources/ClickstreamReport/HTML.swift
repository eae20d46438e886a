import ClickstreamCore
/// Text made safe for HTML and SVG (element content and quoted attribute values), and numbers as a page shows them.
enum HTML {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Control characters (a quarantined user agent can hold any byte) are not allowed in XML/SVG text.
            case _ where c.value < 0x20 && c != "\n" && c != "\t": out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// An integer with thin grouping (12,345), as the tables print it without grouping elsewhere.
    static func grouped(_ n: Int64) -> String { Int(n).grouped }

    /// A coordinate for SVG: at most one decimal, no trailing `.0`.
    static func coordinate(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int64(r)) : String(r)
    }
}
