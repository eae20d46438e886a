@testable import ClickstreamCore
import XCTest

final class TimestampTests: XCTestCase {
    private func iso(_ s: String) -> Int64? {
        Array(s.utf8).withUnsafeBytes { Timestamp.parseISO8601($0) }
    }

    private func epoch(_ s: String) -> Int64? {
        Array(s.utf8).withUnsafeBytes { Timestamp.parseEpochMillis($0) }
    }

    func testISOForms() {
        let base: Int64 = 1_751_519_043_000  // 2025-07-03T05:04:03Z
        XCTAssertEqual(iso("2025-07-03T05:04:03Z"), base)
        XCTAssertEqual(iso("2025-07-03T05:04:03z"), base)
        XCTAssertEqual(iso("2025-07-03T05:04:03"), base)
        XCTAssertEqual(iso("2025-07-03T05:04:03.120Z"), base + 120)
        XCTAssertEqual(iso("2025-07-03T05:04:03.1Z"), base + 100)
        XCTAssertEqual(iso("2025-07-03T05:04:03.12"), base + 120)
        XCTAssertEqual(iso("2025-07-03T05:04:03.999999999Z"), base + 999)
        XCTAssertEqual(iso("2025-07-03T05:04:03.123456789"), base + 123)
        XCTAssertEqual(iso("2025-07-03T05:04:03.0009999999999999999999Z"), base)
        XCTAssertEqual(iso("2025-07-03T07:04:03+02:00"), base)
        XCTAssertEqual(iso("2025-07-03T07:04:03+0200"), base)
        XCTAssertEqual(iso("2025-07-03T07:04:03+02"), base)
        XCTAssertEqual(iso("2025-07-03T00:34:03.5-04:30"), base + 500)
        XCTAssertEqual(iso("2025-07-03T05:04:03-00:00"), base)
        XCTAssertEqual(iso("2025-07-03T00:00:00+23:59"), Timestamp.epochMillis(year: 2025, month: 7, day: 2, minute: 1))
        XCTAssertEqual(iso("1970-01-01T00:00:00Z"), 0)
        XCTAssertEqual(iso("1969-12-31T23:59:59.999Z"), -1)
        XCTAssertEqual(iso("0001-01-01T00:00:00Z"), Timestamp.minMillis)
        XCTAssertEqual(iso("9999-12-31T23:59:59.999Z"), Timestamp.endMillis - 1)
        XCTAssertEqual(iso("2024-02-29T12:00:00Z"), 1_709_208_000_000)
        XCTAssertEqual(iso("2000-02-29T00:00:00Z"), 951_782_400_000)
    }

    func testInvalidISO() {
        for s in ["", "2025-07-03", "2025-07-03T05:04", "2025-07-03T05:04:3", "2025-07-03 05:04:03Z",
                  "2025-07-03t05:04:03Z", "2025-7-03T05:04:03Z", "25-07-03T05:04:03Z", "2025/07/03T05:04:03Z",
                  "2025-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2025-04-31T00:00:00Z",
                  "2025-13-01T00:00:00Z", "2025-00-01T00:00:00Z", "2025-01-00T00:00:00Z", "2025-01-32T00:00:00Z",
                  "2025-07-03T24:00:00Z", "2025-07-03T25:61:00Z", "2025-07-03T05:60:00Z", "2025-07-03T05:04:60Z",
                  "0000-01-01T00:00:00Z", "2025-07-03T05:04:03.Z", "2025-07-03T05:04:03.", "2025-07-03T05:04:03ZZ",
                  "2025-07-03T05:04:03+2", "2025-07-03T05:04:03+020", "2025-07-03T05:04:03+02:0",
                  "2025-07-03T05:04:03+24:00", "2025-07-03T05:04:03+02:60", "2025-07-03T05:04:03+02-00",
                  "2025-07-03T05:04:03 Z", "2025-07-03T05:04:03UTC", " 2025-07-03T05:04:03Z", "2025-07-03T05:04:03Z ",
                  "2025-07-03T05:04:03.12a", "+2025-07-03T05:04:03Z", "2025-07-03T05:04:03.1+",
                  "0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-01:00", "２０２５-07-03T05:04:03Z"] {
            XCTAssertNil(iso(s), s)
        }
    }

    func testEpochMillis() {
        XCTAssertEqual(epoch("0"), 0)
        XCTAssertEqual(epoch("-0"), 0)
        XCTAssertEqual(epoch("1751519043120"), 1_751_519_043_120)
        XCTAssertEqual(epoch("253402300799999"), 253_402_300_799_999)
        XCTAssertNil(epoch("253402300800000"))
        XCTAssertNil(epoch("99999999999999999999999999"))
        XCTAssertNil(epoch("-1"))
        XCTAssertNil(epoch("1.5"))
        XCTAssertNil(epoch("1e3"))
        XCTAssertNil(epoch(""))
        XCTAssertNil(epoch("-"))
    }

    func testFormatting() {
        let ms: Int64 = 1_751_519_043_120
        XCTAssertEqual(Timestamp.instant(ms), "2025-07-03T05:04:03.120Z")
        XCTAssertEqual(Timestamp.hourKey(ms), "2025-07-03T05")
        XCTAssertEqual(Timestamp.minuteKey(ms), "2025-07-03T05:04")
        XCTAssertEqual(Timestamp.instant(0), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(Timestamp.instant(-1), "1969-12-31T23:59:59.999Z")
        XCTAssertEqual(Timestamp.instant(Timestamp.minMillis), "0001-01-01T00:00:00.000Z")
        XCTAssertEqual(Timestamp.instant(Timestamp.endMillis - 1), "9999-12-31T23:59:59.999Z")
        XCTAssertEqual(Timestamp.instant(1_709_164_800_007), "2024-02-29T00:00:00.007Z")
        XCTAssertEqual(Timestamp.minuteKey(1_709_164_800_007), "2024-02-29T00:00")
        // Outside the supported years the year takes the digits it needs.
        XCTAssertEqual(Timestamp.instant(Timestamp.endMillis), "10000-01-01T00:00:00.000Z")
        XCTAssertEqual(Timestamp.hourKey(Timestamp.endMillis + 3_600_000 * 24 * 59), "10000-02-29T00")
    }

    func testMinuteKey() {
        XCTAssertEqual(Timestamp.parseMinuteKey("2025-07-03T05:01"), 1_751_518_800_000 + 60_000)
        XCTAssertEqual(Timestamp.parseMinuteKey(Timestamp.minuteKey(1_709_247_600_000 + 59 * 60_000)), 1_709_247_600_000 + 59 * 60_000)
        for s in ["2025-07-03T05:60", "2025-07-03T05", "2025-07-03T05-01", "2025-07-03T05:1", "2025-07-03T24:00"] {
            XCTAssertNil(Timestamp.parseMinuteKey(s), s)
        }
    }

    func testHourKeyRoundTrip() {
        XCTAssertEqual(Timestamp.parseHourKey("2025-07-03T05"), 1_751_518_800_000)
        XCTAssertEqual(Timestamp.parseHourKey("2024-02-29T23"), 1_709_247_600_000)
        for s in ["2025-07-03T24", "2025-02-29T00", "2025-07-03", "2025-07-03T5", "2025-07-03 05", "2025-07-03T05:00"] {
            XCTAssertNil(Timestamp.parseHourKey(s), s)
        }
        var ms = Timestamp.epochMillis(year: 1999, month: 12, day: 31, hour: 22)
        for _ in 0..<2000 {
            let key = Timestamp.hourKey(ms)
            XCTAssertEqual(Timestamp.parseHourKey(key), ms, key)
            ms += 3_600_000 * 7
        }
    }

    func testCivilRoundTrip() {
        let c = Timestamp.civil(1_751_519_043_120)
        XCTAssertEqual([c.year, c.month, c.day, c.hour, c.minute, c.second, c.millisecond], [2025, 7, 3, 5, 4, 3, 120])
        let n = Timestamp.civil(-1)
        XCTAssertEqual([n.year, n.month, n.day, n.hour, n.minute, n.second, n.millisecond],
                       [1969, 12, 31, 23, 59, 59, 999])
        XCTAssertEqual(Timestamp.epochMillis(year: 2025, month: 7, day: 3, hour: 5, minute: 4, second: 3, millisecond: 120),
                       1_751_519_043_120)
        // Every day from 1600 to 2400 round-trips through civil/epochMillis.
        var ms = Timestamp.epochMillis(year: 1600, month: 1, day: 1)
        let stop = Timestamp.epochMillis(year: 2400, month: 12, day: 31)
        var days = 0
        while ms <= stop {
            let c = Timestamp.civil(ms)
            if Timestamp.epochMillis(year: c.year, month: c.month, day: c.day) != ms {
                XCTFail("day \(ms) gave \(c)")
                break
            }
            ms += 86_400_000
            days += 1
        }
        XCTAssertEqual(days, 801 * 365 + 195)  // 195 leap days in 1600...2400
        for ms: Int64 in [0, 951_782_400_000, 1_709_164_800_007, Timestamp.minMillis, Timestamp.endMillis - 1, -86_400_001] {
            XCTAssertEqual(iso(Timestamp.instant(ms)), ms)
        }
    }
}
