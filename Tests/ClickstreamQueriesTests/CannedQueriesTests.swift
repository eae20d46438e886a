import ClickstreamQueries
import ClickstreamStore
import XCTest

/// Each file in `queries/` against the fixture's known rows: exact columns and rows.
final class CannedQueriesTests: XCTestCase {
    var fixture: QueryFixture!
    override func setUpWithError() throws { fixture = try QueryFixture() }
    override func tearDown() { fixture = nil }

    func testEveryQueryHasAHeaderAndDeclaresEveryParameterItUses() throws {
        let catalog = QueryCatalog(directory: QueryFixture.queriesDirectory)
        XCTAssertEqual(try catalog.names(), ["anomalies", "bounce-rate", "events-per-minute", "funnel", "hourly-traffic",
                                             "quarantine-summary", "top-pages", "top-sessions"])
        for query in try catalog.all() {
            XCTAssertNotEqual(query.title, query.name, query.name)
            XCTAssertFalse(query.description.isEmpty, query.name)
            let used = try fixture.database.prepare(query.sql).parameterNames
            XCTAssertEqual(Set(used), Set(query.parameters.map(\.name)), query.name)
            XCTAssertFalse(query.sql.hasPrefix("--"), query.name)
        }
    }

    func testTopPagesHeader() throws {
        let q = try QueryCatalog(directory: QueryFixture.queriesDirectory).query("top-pages")
        XCTAssertEqual(q.title, "Top pages for a day")
        XCTAssertEqual(q.description, "page views per page for one UTC day, most viewed first")
        XCTAssertEqual(q.parameters, [
            .init(name: "day", note: "YYYY-MM-DD, required", isRequired: true, kind: .day),
            .init(name: "limit", note: "integer, default 20", isRequired: false, defaultValue: "20", kind: .integer),
        ])
    }

    func testTopPages() throws {
        let r = try fixture.run("top-pages", ["day": "2025-07-03"])
        XCTAssertEqual(r.columns, ["page_url", "views"])
        XCTAssertEqual(r.rows, [
            [.text("https://shop.example.com/"), .integer(16)],
            [.text("https://shop.example.com/product/42"), .integer(8)],
            [.text("https://shop.example.com/cart"), .integer(5)],
            [.text("https://shop.example.com/?utm=x"), .integer(4)],
            [.text("https://shop.example.com/product/7?ref=home"), .integer(4)],
            [.text("https://shop.example.com/checkout"), .integer(2)],
            [.text("https://shop.example.com/checkout/payment"), .integer(1)],
        ])
        XCTAssertEqual(try fixture.run("top-pages", ["day": "2025-07-03", "limit": "2"]).rows, [
            [.text("https://shop.example.com/"), .integer(16)],
            [.text("https://shop.example.com/product/42"), .integer(8)],
        ])
        XCTAssertEqual(try fixture.run("top-pages", ["day": "2025-07-01"]).rows, [])
    }

    func testHourlyTraffic() throws {
        let r = try fixture.run("hourly-traffic", ["day": "2025-07-03"])
        XCTAssertEqual(r.columns, ["hour", "page_views", "events"])
        var expected: [[SQLValue]] = (0..<24).map { h in
            [.text("2025-07-03T" + (h < 10 ? "0" : "") + String(h)), .integer(0), .integer(0)]
        }
        expected[4] = [.text("2025-07-03T04"), .integer(0), .integer(40)]
        expected[5] = [.text("2025-07-03T05"), .integer(18), .integer(6)]
        expected[6] = [.text("2025-07-03T06"), .integer(17), .integer(7)]
        expected[7] = [.text("2025-07-03T07"), .integer(1), .integer(0)]
        expected[23] = [.text("2025-07-03T23"), .integer(4), .integer(0)]
        XCTAssertEqual(r.rows, expected)
    }

    func testTopSessions() throws {
        let r = try fixture.run("top-sessions", ["limit": "3"])
        XCTAssertEqual(r.columns, ["session_id", "event_count", "first_activity", "last_activity", "user_agent"])
        XCTAssertEqual(r.rows, [
            [.text("s1"), .integer(30), .text("2025-07-03T05:00:00.000Z"), .text("2025-07-03T05:10:00.000Z"), .text("Mozilla/5.0")],
            [.text("s5"), .integer(30), .text("2025-07-04T00:00:00.000Z"), .text("2025-07-04T00:01:00.000Z"), .text("Mozilla/5.0")],
            [.text("s4"), .integer(12), .text("2025-07-03T23:59:59.999Z"), .text("2025-07-04T00:05:00.000Z"), .text("curl/8.0")],
        ])
        XCTAssertEqual(try fixture.run("top-sessions").rows.count, 5)
    }

    func testEventsPerMinute() throws {
        let r = try fixture.run("events-per-minute", ["hour": "2025-07-03T05"])
        XCTAssertEqual(r.columns, ["time_window", "event_type", "event_count"])
        XCTAssertEqual(r.rows, [
            [.text("2025-07-03T05:00"), .text("click"), .integer(2)],
            [.text("2025-07-03T05:00"), .text("page_view"), .integer(3)],
            [.text("2025-07-03T05:59"), .text("click"), .integer(1)],
        ])
    }

    func testAnomalies() throws {
        let r = try fixture.run("anomalies", ["day": "2025-07-03"])
        XCTAssertEqual(r.columns, ["at", "session_id", "kind", "details"])
        XCTAssertEqual(r.rows, [
            [.text("2025-07-03T05:03"), .text("s1"), .text("high_frequency_clicks"), .text("61 events in 2025-07-03T05:03")],
            [.text("2025-07-03T05:03:00.500Z"), .text("bot"), .text("suspicious_user_agent"), .text("Googlebot/2.1")],
            [.text("2025-07-03T06:00:00.000Z"), .text("s2"), .text("unusual_page_sequence"), .text("checkout as event 1")],
        ])
    }

    func testFunnel() throws {
        let r = try fixture.run("funnel", ["day": "2025-07-03"])
        XCTAssertEqual(r.columns, ["step", "name", "page_views", "pct_of_previous"])
        XCTAssertEqual(r.rows, [
            [.integer(1), .text("home"), .integer(20), .null],
            [.integer(2), .text("product"), .integer(12), .real(60.0)],
            [.integer(3), .text("cart"), .integer(5), .real(41.7)],
            [.integer(4), .text("checkout"), .integer(3), .real(60.0)],
        ])
        XCTAssertEqual(try fixture.run("funnel", ["day": "2025-07-01"]).rows, [
            [.integer(1), .text("home"), .integer(0), .null],
            [.integer(2), .text("product"), .integer(0), .null],
            [.integer(3), .text("cart"), .integer(0), .null],
            [.integer(4), .text("checkout"), .integer(0), .null],
        ])
    }

    func testFunnelCountsRelativeHomePath() throws {
        try fixture.database.execute("INSERT INTO page_metrics VALUES ('/', '2025-07-09T01', 3), ('/?q=1', '2025-07-09T02', 2)")
        XCTAssertEqual(try fixture.run("funnel", ["day": "2025-07-09"]).rows.first,
                       [.integer(1), .text("home"), .integer(5), .null])
    }

    func testBounceRate() throws {
        let r = try fixture.run("bounce-rate", ["day": "2025-07-03"])
        XCTAssertEqual(r.columns, ["day", "sessions", "bounced", "bounce_rate_pct"])
        XCTAssertEqual(r.rows, [[.text("2025-07-03"), .integer(3), .integer(1), .real(33.3)]])
        XCTAssertEqual(try fixture.run("bounce-rate", ["day": "2025-07-05"]).rows,
                       [[.text("2025-07-05"), .integer(0), .integer(0), .null]])
    }

    func testQuarantineSummary() throws {
        let latest = try fixture.run("quarantine-summary")
        XCTAssertEqual(latest.columns, ["reason", "source", "records"])
        XCTAssertEqual(latest.rows, [
            [.text("missing_field"), .text("./b"), .integer(2)],
            [.text("bad_timestamp"), .text("./b"), .integer(1)],
            [.text("missing_field"), .text("./a"), .integer(1)],
        ])
        XCTAssertEqual(try fixture.run("quarantine-summary", ["run": "1"]).rows,
                       [[.text("invalid_json"), .text("./a"), .integer(2)]])
        XCTAssertEqual(try fixture.run("quarantine-summary", ["run": "all"]).rows, [
            [.text("invalid_json"), .text("./a"), .integer(2)],
            [.text("missing_field"), .text("./b"), .integer(2)],
            [.text("bad_timestamp"), .text("./b"), .integer(1)],
            [.text("missing_field"), .text("./a"), .integer(1)],
        ])
    }
}
