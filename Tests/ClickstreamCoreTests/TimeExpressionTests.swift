import ClickstreamCore
import XCTest

final class TimeExpressionTests: XCTestCase {
    /// 2025-07-03T05:04:03.120Z
    let now: Int64 = 1_751_519_043_120
    /// 2025-07-03T00:00:00Z
    let midnight: Int64 = 1_751_500_800_000

    func testRelative() throws {
        XCTAssertEqual(try TimeExpression.parse("now", now: now), now)
        XCTAssertEqual(try TimeExpression.parse("today", now: now), midnight)
        XCTAssertEqual(try TimeExpression.parse("yesterday", now: now), midnight - 86_400_000)
        XCTAssertEqual(try TimeExpression.parse("Today", now: now), midnight)
        XCTAssertEqual(try TimeExpression.parse("-6h", now: now), now - 6 * 3_600_000)
        XCTAssertEqual(try TimeExpression.parse("-30m", now: now), now - 30 * 60_000)
        XCTAssertEqual(try TimeExpression.parse("-7d", now: now), now - 7 * 86_400_000)
        XCTAssertEqual(try TimeExpression.parse("-90s", now: now), now - 90_000)
        XCTAssertEqual(try TimeExpression.parse("-0h", now: now), now)
        XCTAssertEqual(try TimeExpression.parse(" -6h ", now: now), now - 6 * 3_600_000)
        XCTAssertEqual(try TimeExpression.parse("today", now: midnight), midnight)
        XCTAssertEqual(try TimeExpression.parse("today", now: -1), -86_400_000)
    }

    func testAbsolute() throws {
        XCTAssertEqual(try TimeExpression.parse("2025-07-03", now: 0), midnight)
        XCTAssertEqual(try TimeExpression.parse("2025-07-03T05:04:03.120Z", now: 0), now)
        XCTAssertEqual(try TimeExpression.parse("2025-07-03T07:04:03.120+02:00", now: 0), now)
        XCTAssertEqual(try TimeExpression.parse("2025-07-03T05:00:00Z", now: 0), midnight + 5 * 3_600_000)
        XCTAssertEqual(try TimeExpression.parse("2025-07-03T05:00Z", now: 0), midnight + 5 * 3_600_000)
        XCTAssertEqual(try TimeExpression.parse("2025-07-03T05:00", now: 0), midnight + 5 * 3_600_000)
        XCTAssertEqual(try TimeExpression.parse("2025-07-03T07:00+02:00", now: 0), midnight + 5 * 3_600_000)
        XCTAssertEqual(try TimeExpression.parse("2024-02-29", now: 0), 1_709_164_800_000)
    }

    func testInvalid() {
        for text in ["", "soon", "2025-02-30", "2025-07-03T25:00:00Z", "6h", "-6", "-h", "-6w", "+6h", "-6.5h",
                     "--6h", "2025-07-3", "2025-07-03T05", "-99999999999999999999d", "-9999999999999999d", "tomorrow",
                     "2025-07-03T05:00.5Z"] {
            XCTAssertThrowsError(try TimeExpression.parse(text, now: now), text) { error in
                XCTAssertEqual(error as? TimeExpressionError, TimeExpressionError(text: text))
            }
        }
        XCTAssertEqual(TimeExpressionError(text: "soon").description,
                       #"invalid time "soon": expected an ISO 8601 instant (2025-07-03T05:00:00Z, offsets allowed), a date (2025-07-03), now, today, yesterday, or a relative time (-90s, -30m, -6h, -7d)"#)
    }
}
