import ClickstreamCore
import ClickstreamExport
import ClickstreamJobs
import ClickstreamPipeline
import ClickstreamRuns
import ClickstreamSamples
import ClickstreamStore
import ClickstreamTestSupport
import SourceKinesis
import SourceLocal
import SourceS3
import XCTest

/// The three anomaly rules at their boundaries, and `session_metrics` tie rules.
final class AnomalyRuleTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory() }

    func ingest(_ lines: [String], name: String = "t") throws -> String {
        try dir.write("\(name)/year=2025/month=7/day=3/hour=0/a.json", lines.joined(separator: "\n"))
        let db = dir.url("\(name).sqlite")
        try replay([dir.url(name)], from: day0, to: day0 + 2 * hourMs, db: db)
        return db
    }

    func testFiftyEventsInAMinuteIsNormalFiftyOneIsNot() throws {
        let fifty = (0..<50).map { eventLine("click", session: "a", at: day0 + 60_000 + Int64($0) * 1000) }
        let fiftyOne = (0..<51).map { eventLine("click", session: "b", at: day0 + 120_000 + Int64($0) * 1000) }
        let db = try ingest(fifty + fiftyOne)
        XCTAssertEqual(try rows(db, "SELECT session_id, kind, at, details FROM anomalies WHERE kind = 'high_frequency_clicks'"),
                       [[.text("b"), .text("high_frequency_clicks"), .text("2025-07-03T00:02"), .text("51 events in one minute (limit 50)")]])
        XCTAssertEqual(try rows(db, "SELECT event_count FROM counters WHERE metric_name = 'session_events_b'"), [[.integer(51)]])
    }

    func testHighFrequencyAcrossTwoRuns() throws {
        // 30 events now and 21 more later in the same minute: the total decides.
        let first = (0..<30).map { eventLine("click", session: "c", at: day0 + Int64($0) * 1000) }
        let second = (30..<51).map { eventLine("click", session: "c", at: day0 + Int64($0) * 1000) }
        try dir.write("r1/year=2025/month=7/day=3/hour=0/a.json", first.joined(separator: "\n"))
        try dir.write("r2/year=2025/month=7/day=3/hour=0/a.json", second.joined(separator: "\n"))
        let db = dir.url("two.sqlite")
        try replay([dir.url("r1")], from: day0, to: day0 + hourMs, db: db)
        XCTAssertEqual(try rows(db, "SELECT count(*) FROM anomalies"), [[.integer(0)]])
        try replay([dir.url("r2")], from: day0, to: day0 + hourMs, db: db)
        XCTAssertEqual(try rows(db, "SELECT at FROM anomalies WHERE kind = 'high_frequency_clicks'"), [[.text("2025-07-03T00:00")]])
    }

    func testCheckoutWithTwoEarlierEventsIsUnusualWithThreeIsNot() throws {
        let t = day0 + 600_000
        var lines = [eventLine("click", session: "two", at: t - 2000), eventLine("click", session: "two", at: t - 1000),
                     eventLine("page_view", session: "two", at: t, page: "/checkout/pay")]
        lines += [eventLine("click", session: "three", at: t - 3000), eventLine("click", session: "three", at: t - 2000),
                  eventLine("click", session: "three", at: t - 1000), eventLine("page_view", session: "three", at: t, page: "/checkout")]
        // Same instant is not "strictly earlier".
        lines += [eventLine("click", session: "tie", at: t - 1000), eventLine("click", session: "tie", at: t, page: "/x"),
                  eventLine("scroll", session: "tie", at: t), eventLine("page_view", session: "tie", at: t, page: "/checkout")]
        let db = try ingest(lines)
        XCTAssertEqual(try rows(db, "SELECT session_id, at, details FROM anomalies WHERE kind = 'unusual_page_sequence' ORDER BY session_id"), [
            [.text("tie"), .text("2025-07-03T00:10:00.000Z"), .text("checkout page view with 1 earlier event in the session")],
            [.text("two"), .text("2025-07-03T00:10:00.000Z"), .text("checkout page view with 2 earlier events in the session")],
        ])
    }

    func testEarlierEventsFromAnEarlierRunCount() throws {
        let t = day0 + 2 * hourMs - 1000 // hour 1
        try dir.write("early/year=2025/month=7/day=3/hour=0/a.json", (1...3).map { eventLine("click", session: "s", at: day0 + Int64($0) * 1000) }.joined(separator: "\n"))
        try dir.write("late/year=2025/month=7/day=3/hour=1/a.json", eventLine("page_view", session: "s", at: t, page: "/checkout"))
        let db = dir.url("runs.sqlite")
        // Checkout first: alone it is unusual; once the earlier events arrive it no longer is.
        try replay([dir.url("late")], from: day0, to: day0 + 2 * hourMs, db: db)
        XCTAssertEqual(try rows(db, "SELECT count(*) FROM anomalies WHERE kind = 'unusual_page_sequence'"), [[.integer(1)]])
        try replay([dir.url("early")], from: day0, to: day0 + 2 * hourMs, db: db)
        XCTAssertEqual(try rows(db, "SELECT count(*) FROM anomalies WHERE kind = 'unusual_page_sequence'"), [[.integer(0)]])
        XCTAssertEqual(try rows(db, "SELECT event_count, first_activity, last_activity FROM session_metrics"),
                       [[.integer(4), .text("2025-07-03T00:00:01.000Z"), .text("2025-07-03T01:59:59.000Z")]])
    }

    func testSuspiciousUserAgentFirstInstant() throws {
        let db = try ingest([
            eventLine("click", session: "s", at: day0 + 5000, agent: "Mozilla"),
            eventLine("click", session: "s", at: day0 + 9000, agent: "MyCRAWLER/1.0"),
            eventLine("click", session: "s", at: day0 + 7000, agent: "AhrefsBot"),
            eventLine("click", session: "t", at: day0 + 7000, agent: "web-Spider"),
            eventLine("click", session: "u", at: day0 + 7000, agent: "Mozilla robot-free"), // contains "bot"
            eventLine("click", session: "v", at: day0 + 7000, agent: "Mozilla"),
        ])
        XCTAssertEqual(try rows(db, "SELECT session_id, at, details FROM anomalies WHERE kind = 'suspicious_user_agent' ORDER BY session_id"), [
            [.text("s"), .text("2025-07-03T00:00:07.000Z"), .text("user agent \"AhrefsBot\" looks like a bot")],
            [.text("t"), .text("2025-07-03T00:00:07.000Z"), .text("user agent \"web-Spider\" looks like a bot")],
            [.text("u"), .text("2025-07-03T00:00:07.000Z"), .text("user agent \"Mozilla robot-free\" looks like a bot")],
        ])
    }

    func testLastActivityTiesTakeTheGreatestAgentAbsentLowest() throws {
        let t = day0 + 10_000
        let db = try ingest([
            eventLine("click", session: "a", at: t, agent: "Alpha"),
            eventLine("scroll", session: "a", at: t, agent: "Beta"),
            eventLine("click", session: "a", at: t - 5000, agent: "Zulu"),
            eventLine("click", session: "b", at: t, agent: nil),
            eventLine("scroll", session: "b", at: t, agent: "Alpha"),
            eventLine("click", session: "c", at: t, agent: nil),
        ])
        XCTAssertEqual(try rows(db, "SELECT session_id, event_count, first_activity, last_activity, user_agent FROM session_metrics ORDER BY session_id"), [
            [.text("a"), .integer(3), .text("2025-07-03T00:00:05.000Z"), .text("2025-07-03T00:00:10.000Z"), .text("Beta")],
            [.text("b"), .integer(2), .text("2025-07-03T00:00:10.000Z"), .text("2025-07-03T00:00:10.000Z"), .text("Alpha")],
            [.text("c"), .integer(1), .text("2025-07-03T00:00:10.000Z"), .text("2025-07-03T00:00:10.000Z"), .text("unknown")],
        ])
    }

    func testCountersAndPageMetrics() throws {
        let db = try ingest([
            eventLine("page_view", session: "a", at: day0 + 1000, page: "/p"),
            eventLine("page_view", session: "b", at: day0 + 61_000, page: "/p"),
            eventLine("click", session: "a", at: day0 + 2000, page: "/p"),
            eventLine("page_view", session: "a", at: day0 + hourMs + 5, page: "/p"),
        ])
        XCTAssertEqual(try rows(db, "SELECT * FROM page_metrics ORDER BY 1, 2"), [
            [.text("/p"), .text("2025-07-03T00"), .integer(2)], [.text("/p"), .text("2025-07-03T01"), .integer(1)]])
        // ttl = end of the minute + 24 h.
        let base: Int64 = 1_751_500_800 + 86_400
        func row(_ name: String, _ window: String, _ count: Int64, _ endOffset: Int64) -> [SQLValue] {
            [.text(name), .text(window), .integer(count), .integer(base + endOffset)]
        }
        XCTAssertEqual(try rows(db, "SELECT * FROM counters ORDER BY 1, 2"), [
            row("events_per_minute_click", "2025-07-03T00:00", 1, 60),
            row("events_per_minute_page_view", "2025-07-03T00:00", 1, 60),
            row("events_per_minute_page_view", "2025-07-03T00:01", 1, 120),
            row("events_per_minute_page_view", "2025-07-03T01:00", 1, 3660),
            row("session_events_a", "2025-07-03T00:00", 2, 60),
            row("session_events_a", "2025-07-03T01:00", 1, 3660),
            row("session_events_b", "2025-07-03T00:01", 1, 120),
        ])
    }

    func testCountersAcrossTheWholeCalendar() throws {
        // Minutes 8,000 years apart in one chunk keep their own time windows.
        let first = Timestamp.epochMillis(year: 1, month: 1, day: 1, hour: 0, minute: 5, second: 0, millisecond: 0)
        let last = Timestamp.epochMillis(year: 9999, month: 12, day: 31, hour: 23, minute: 5, second: 0, millisecond: 0)
        try dir.write("cal/a.json", [eventLine("click", session: "s", at: first), eventLine("click", session: "s", at: last)].joined(separator: "\n"))
        let db = dir.url("cal.sqlite")
        try replay([dir.url("cal")], from: first, to: last + 60_000, db: db)
        XCTAssertEqual(try rows(db, "SELECT time_window, event_count FROM counters WHERE metric_name = 'session_events_s' ORDER BY 1"),
                       [[.text("0001-01-01T00:05"), .integer(1)], [.text("9999-12-31T23:05"), .integer(1)]])
    }
}
