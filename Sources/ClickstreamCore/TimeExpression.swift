/// The TIME arguments of the command line (docs/cli.md), resolved to epoch milliseconds.
public enum TimeExpression {
    /// Resolves `text` (surrounding whitespace ignored) against `now` (epoch milliseconds):
    /// - an ISO 8601 instant as `Timestamp.parseISO8601` accepts (`2025-07-03T05:00:00Z`, offsets allowed), or the
    ///   same without seconds (`2025-07-03T05:00Z`, `2025-07-03T05:00`);
    /// - a date `YYYY-MM-DD`: its midnight UTC;
    /// - `now`; `today`: midnight UTC of `now`'s day; `yesterday`: midnight UTC of the day before
    ///   (words in any case);
    /// - `-N` followed by `s`, `m`, `h` or `d`: `now` minus N seconds, minutes, hours or days.
    /// Anything else throws a `TimeExpressionError`.
    public static func parse(_ text: String, now: Int64) throws -> Int64 {
        let trimmed = text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
        let bytes = Array(String(trimmed).utf8)
        if let ms = resolve(bytes, now: now) { return ms }
        throw TimeExpressionError(text: text)
    }

    private static func resolve(_ bytes: [UInt8], now: Int64) -> Int64? {
        let day = Timestamp.millisPerDay
        let today = now >= 0 ? now / day * day : ((now + 1) / day - 1) * day
        switch String(decoding: bytes, as: UTF8.self).lowercased() {
        case "now": return now
        case "today": return today
        case "yesterday": return today - day
        default: break
        }
        if bytes.first == 0x2D, bytes.count >= 3 {
            let unit: Int64
            switch bytes.last! {
            case 0x73: unit = 1000  // s
            case 0x6D: unit = 60_000  // m
            case 0x68: unit = 3_600_000  // h
            case 0x64: unit = day  // d
            default: return nil
            }
            var n: Int64 = 0
            for c in bytes[1 ..< bytes.count - 1] {
                guard c >= 0x30, c <= 0x39 else { return nil }
                let (m, o1) = n.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(c - 0x30))
                guard !o1, !o2 else { return nil }
                n = a
            }
            let (delta, o1) = n.multipliedReportingOverflow(by: unit)
            let (result, o2) = now.subtractingReportingOverflow(delta)
            return o1 || o2 ? nil : result
        }
        if bytes.count == 10 {
            return bytes.withUnsafeBufferPointer { b -> Int64? in
                let p = b.baseAddress!
                guard p[4] == 0x2D, p[7] == 0x2D, let y = Timestamp.digits4(p), let m = Timestamp.digits2(p + 5),
                      let d = Timestamp.digits2(p + 8), y >= 1, m >= 1, m <= 12, d >= 1,
                      d <= Timestamp.daysInMonth(y, m) else { return nil }
                return Timestamp.epochMillis(year: y, month: m, day: d)
            }
        }
        if let ms = bytes.withUnsafeBytes({ Timestamp.parseISO8601($0) }) { return ms }
        // Without seconds: YYYY-MM-DDTHH:MM followed by nothing or a zone.
        if bytes.count >= 16, bytes[13] == 0x3A,
           bytes.count == 16 || [0x5A, 0x7A, 0x2B, 0x2D].contains(bytes[16]) {  // end, Z, z, +, -
            var withSeconds = Array(bytes[..<16])
            withSeconds += [0x3A, 0x30, 0x30]
            withSeconds += bytes[16...]
            if let ms = withSeconds.withUnsafeBytes({ Timestamp.parseISO8601($0) }) { return ms }
        }
        return nil
    }
}
