/// UTC instants as epoch milliseconds: ISO 8601 and epoch parsing, and the fixed-width text forms the tables use
/// (docs/cli.md, README "Tables"). Pure arithmetic on bytes (days-from-civil), no Foundation, no allocation when parsing.
///
/// Supported instants are those of years 0001 through 9999 UTC, that is
/// `Timestamp.minMillis ..< Timestamp.endMillis`.
public enum Timestamp {
    /// `0001-01-01T00:00:00.000Z`.
    public static let minMillis: Int64 = -62_135_596_800_000
    /// `10000-01-01T00:00:00.000Z`, the first instant past year 9999 (exclusive upper bound).
    public static let endMillis: Int64 = 253_402_300_800_000

    static let millisPerDay: Int64 = 86_400_000

    // MARK: Parsing

    /// Parses `YYYY-MM-DDTHH:MM:SS`, an optional `.` with one or more fraction digits (truncated to milliseconds,
    /// never rounded), and an optional zone: `Z`, `z`, `±HH:MM`, `±HHMM` or `±HH`; no zone means UTC.
    /// Only an upper-case `T` separates date and time. Returns epoch milliseconds, or `nil` when the text is not
    /// exactly that form or not a real instant (month 1–12, day within its month with leap years, hour 0–23,
    /// minute 0–59, second 0–59, offset hours 0–23 and minutes 0–59, year 0001–9999, and the UTC instant within
    /// years 0001–9999).
    @inlinable
    public static func parseISO8601(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let base = bytes.baseAddress else { return nil }
        return parseISO8601(base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    /// Same as `parseISO8601(_: UnsafeRawBufferPointer)` on `count` bytes at `p`.
    @usableFromInline
    static func parseISO8601(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        guard count >= 19 else { return nil }
        guard p[4] == 0x2D, p[7] == 0x2D, p[10] == 0x54, p[13] == 0x3A, p[16] == 0x3A else { return nil }
        guard let year = digits4(p), let month = digits2(p + 5), let day = digits2(p + 8),
              let hour = digits2(p + 11), let minute = digits2(p + 14), let second = digits2(p + 17)
        else { return nil }
        guard year >= 1, month >= 1, month <= 12, day >= 1, day <= daysInMonth(year, month),
              hour <= 23, minute <= 59, second <= 59 else { return nil }
        var i = 19
        var millis = 0
        if i < count, p[i] == 0x2E {  // '.'
            i += 1
            let fracStart = i
            var scale = 100
            while i < count {
                let d = Int(p[i]) &- 0x30
                if d < 0 || d > 9 { break }
                millis &+= d &* scale
                scale /= 10
                i += 1
            }
            guard i > fracStart else { return nil }
        }
        var offsetMinutes = 0
        if i < count {
            let c = p[i]
            if c == 0x5A || c == 0x7A {  // 'Z' 'z'
                i += 1
            } else if c == 0x2B || c == 0x2D {  // '+' '-'
                let rest = count - i - 1
                let q = p + i + 1
                var oh = 0, om = 0
                switch rest {
                case 2:
                    guard let h = digits2(q) else { return nil }
                    oh = h
                case 4:
                    guard let h = digits2(q), let m = digits2(q + 2) else { return nil }
                    oh = h; om = m
                case 5:
                    guard q[2] == 0x3A, let h = digits2(q), let m = digits2(q + 3) else { return nil }
                    oh = h; om = m
                default:
                    return nil
                }
                guard oh <= 23, om <= 59 else { return nil }
                offsetMinutes = oh * 60 + om
                if c == 0x2D { offsetMinutes = -offsetMinutes }
                i = count
            } else {
                return nil
            }
        }
        guard i == count else { return nil }
        let days = daysFromCivil(year, month, day)
        let secs = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetMinutes * 60)
        let ms = secs * 1000 + Int64(millis)
        guard ms >= minMillis, ms < endMillis else { return nil }
        return ms
    }

    /// Parses a JSON integer (`-?[0-9]+`, no fraction, no exponent) as epoch milliseconds in
    /// `0 ..< endMillis` (up to the end of year 9999). `-0` is 0. Any other form, a negative value, or a value
    /// beyond year 9999 gives `nil`.
    @inlinable
    public static func parseEpochMillis(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let base = bytes.baseAddress else { return nil }
        return parseEpochMillis(base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    @usableFromInline
    static func parseEpochMillis(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        var i = 0
        var negative = false
        if count > 0, p[0] == 0x2D { negative = true; i = 1 }
        guard i < count else { return nil }
        var value: Int64 = 0
        while i < count {
            let d = Int64(p[i]) &- 0x30
            guard d >= 0, d <= 9 else { return nil }
            value = value &* 10 &+ d
            guard value < endMillis else { return nil }
            i += 1
        }
        if negative && value != 0 { return nil }
        return value
    }

    /// Parses an hour key `YYYY-MM-DDTHH` (as `hourKey` writes it) into the epoch milliseconds of the hour's start.
    public static func parseHourKey(_ s: String) -> Int64? {
        var s = s
        return s.withUTF8 { u -> Int64? in
            guard u.count == 13, let p = u.baseAddress, p[4] == 0x2D, p[7] == 0x2D, p[10] == 0x54,
                  let year = digits4(p), let month = digits2(p + 5), let day = digits2(p + 8),
                  let hour = digits2(p + 11),
                  year >= 1, month >= 1, month <= 12, day >= 1, day <= daysInMonth(year, month), hour <= 23
            else { return nil }
            return epochMillis(year: year, month: month, day: day, hour: hour)
        }
    }

    /// Parses a minute key `YYYY-MM-DDTHH:MM` (as `minuteKey` writes it, the `time_window` of `counters`) into the
    /// epoch milliseconds of the minute's start.
    public static func parseMinuteKey(_ s: String) -> Int64? {
        guard s.utf8.count == 16, let hour = parseHourKey(String(s.prefix(13))) else { return nil }
        var s = s
        return s.withUTF8 { u -> Int64? in
            guard let p = u.baseAddress, p[13] == 0x3A, let minute = digits2(p + 14), minute <= 59 else { return nil }
            return hour + Int64(minute) * 60_000
        }
    }

    // MARK: Calendar arithmetic

    /// Epoch milliseconds of a proleptic Gregorian UTC date-time. Fields are not validated; out-of-range values
    /// carry arithmetically (month must be 1–12).
    public static func epochMillis(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0,
                                   second: Int = 0, millisecond: Int = 0) -> Int64 {
        let days = Int64(daysFromCivil(year, month, day))
        return ((days * 24 + Int64(hour)) * 60 + Int64(minute)) * 60_000 + Int64(second) * 1000 + Int64(millisecond)
    }

    /// The UTC calendar fields of an instant (floor semantics for instants before 1970).
    public static func civil(_ ms: Int64) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
                                              millisecond: Int) {
        var days = ms / millisPerDay
        var rem = ms % millisPerDay
        if rem < 0 { rem += millisPerDay; days -= 1 }
        let (y, m, d) = civilFromDays(Int(days))
        let r = Int(rem)
        return (y, m, d, r / 3_600_000, (r / 60_000) % 60, (r / 1000) % 60, r % 1000)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    @inline(__always)
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    @inline(__always)
    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    @inline(__always)
    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    @inline(__always)
    static func digits2(_ p: UnsafePointer<UInt8>) -> Int? {
        let a = Int(p[0]) &- 0x30, b = Int(p[1]) &- 0x30
        guard a >= 0, a <= 9, b >= 0, b <= 9 else { return nil }
        return a * 10 + b
    }

    @inline(__always)
    static func digits4(_ p: UnsafePointer<UInt8>) -> Int? {
        guard let hi = digits2(p), let lo = digits2(p + 2) else { return nil }
        return hi * 100 + lo
    }

    // MARK: Formatting

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, the instant form of the tables.
    public static func instant(_ ms: Int64) -> String {
        format(ms, length: 24)
    }

    /// `YYYY-MM-DDTHH`, the `timestamp_hour` key.
    public static func hourKey(_ ms: Int64) -> String {
        format(ms, length: 13)
    }

    /// `YYYY-MM-DDTHH:MM`, the `time_window` key.
    public static func minuteKey(_ ms: Int64) -> String {
        format(ms, length: 16)
    }

    /// Writes the first `length` bytes of `YYYY-MM-DDTHH:MM:SS.mmmZ` (13, 16 or 24). Years outside 0–9999
    /// (outside the supported range) are written with as many digits as they need.
    private static func format(_ ms: Int64, length: Int) -> String {
        let c = civil(ms)
        guard c.year >= 0, c.year <= 9999 else {
            let text = "\(c.year)" + String(format(epochMillis(year: 2000, month: c.month, day: c.day, hour: c.hour,
                                                             minute: c.minute, second: c.second,
                                                             millisecond: c.millisecond), length: length).dropFirst(4))
            return text
        }
        return String(unsafeUninitializedCapacity: length) { buf in
            let p = buf.baseAddress!
            @inline(__always) func put2(_ at: Int, _ v: Int) {
                p[at] = UInt8(truncatingIfNeeded: 0x30 + v / 10)
                p[at + 1] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
            }
            put2(0, c.year / 100); put2(2, c.year % 100)
            p[4] = 0x2D; put2(5, c.month); p[7] = 0x2D; put2(8, c.day)
            p[10] = 0x54; put2(11, c.hour)
            if length > 13 {
                p[13] = 0x3A; put2(14, c.minute)
            }
            if length > 16 {
                p[16] = 0x3A; put2(17, c.second); p[19] = 0x2E
                p[20] = UInt8(truncatingIfNeeded: 0x30 + c.millisecond / 100)
                put2(21, c.millisecond % 100)
                p[23] = 0x5A
            }
            return length
        }
    }
}
