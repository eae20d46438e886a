/// Counts as people write them: `1 event`, `2 events`, `13,364 rows` (thousands grouped, plural only when not 1).
public enum Plural {
    public static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n.grouped) \(n == 1 ? singular : plural ?? singular + "s")"
    }
}

extension Int {
    /// `1234567` → `1,234,567`.
    public var grouped: String {
        let digits = String(self.magnitude)
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (self < 0 ? "-" : "") + String(out.reversed())
    }
}
