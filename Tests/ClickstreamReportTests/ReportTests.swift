import ClickstreamQueries
import ClickstreamReport
import ClickstreamStore
import ClickstreamTestSupport
import Foundation
import XCTest

/// The report of the demo data, as `clickstream report` writes it: every section, and every number the same as
/// the canned query's for the same day or hour.
final class ReportTests: XCTestCase {
    func testEverySectionAndChartIsThere() throws {
        let f = try DemoReportFixture.get()
        XCTAssertEqual(f.reportOutput.status, 0, f.reportOutput.stderr)
        let html = try f.html()
        XCTAssertTrue(f.reportOutput.stdout.hasPrefix("wrote \(f.report): \(html.utf8.count) bytes, 8 charts, 20000 events, "), f.reportOutput.stdout)
        for (id, heading) in HTMLReport.sections {
            XCTAssertTrue(html.contains("<section id=\"\(id)\" aria-labelledby=\"\(id)-heading\"><h2 id=\"\(id)-heading\">\(heading.replacingOccurrences(of: "&", with: "&amp;"))</h2>"), id)
        }
        let charts = ["chart-events-per-minute", "chart-hourly-traffic", "chart-top-pages-0", "chart-funnel-0", "chart-bounce-rate",
                      "chart-sessions", "chart-anomalies", "chart-quarantine"]
        for id in charts {
            // Each chart is an image with a title and a description a screen reader announces.
            XCTAssertTrue(html.contains("id=\"\(id)\" viewBox="), id)
            XCTAssertTrue(html.contains("role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\""), id)
        }
        XCTAssertEqual(html.components(separatedBy: "<svg class=\"chart").count - 1, charts.count)
        // Self-contained: nothing to fetch, and a policy that forbids fetching.
        XCTAssertTrue(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""))
        for pattern in ["<script", "<link", "src=\"http", "url(http", "@import"] { XCTAssertFalse(html.contains(pattern), pattern) }
        XCTAssertTrue(html.contains("<html lang=\"en\">") && html.contains("name=\"viewport\""))
        // Axis titles are drawn.
        for title in ["events per minute", "event time (UTC, per minute)", "count per hour", "hour (UTC)", "page views →"] {
            XCTAssertTrue(html.contains(">\(title)</text>"), title)
        }
    }

    func testNumbersEqualTheCannedQueries() throws {
        let f = try DemoReportFixture.get()
        let html = try f.html()
        let tables = HTMLTable.all(in: html)
        let runner = QueryRunner(database: try Database(path: f.database, readOnly: true))
        let catalog = QueryCatalog.locate()
        func rows(_ name: String, _ args: [String: String]) throws -> (columns: [String], rows: [[String]]) {
            let r = try runner.run(try catalog.query(name), arguments: args)
            return (r.columns, r.rows.map { $0.map { $0 == .null ? "" : $0.description } })
        }
        func shown(_ query: String) -> HTMLTable {
            let found = tables.filter { $0.query == query }
            XCTAssertEqual(found.count, 1, query)
            return found.first ?? HTMLTable(query: query, header: [], rows: [])
        }
        let day = DemoReportFixture.day
        // The demo's six hours, one events-per-minute run each.
        var perMinute: [[String]] = []
        for h in 5...10 { perMinute += try rows("events-per-minute", ["hour": "\(day)T\(String(format: "%02d", h))"]).rows }
        XCTAssertEqual(shown("events-per-minute").rows, perMinute)
        XCTAssertEqual(perMinute.reduce(0) { $0 + Int($1[2])! }, 20_000)
        XCTAssertEqual(shown("events-per-minute").header, ["time_window", "event_type", "event_count"])

        let hourly = try rows("hourly-traffic", ["day": day])
        XCTAssertEqual(shown("hourly-traffic").rows, hourly.rows.filter { $0[0] >= "\(day)T05" && $0[0] <= "\(day)T10" })
        XCTAssertEqual(shown("hourly-traffic").rows.count, 6)

        let checks: [(String, [String: String])] = [
            ("top-pages", ["day": day]), ("funnel", ["day": day]), ("bounce-rate", ["day": day]), ("anomalies", ["day": day]),
            ("top-sessions", ["from": "2025-07-03T05:00:00.000Z", "to": "2025-07-03T11:00:00.000Z"]),
            ("quarantine-summary", ["run": "latest"]),
        ]
        for (name, args) in checks {
            let expected = try rows(name, args)
            XCTAssertFalse(expected.rows.isEmpty, name)
            XCTAssertEqual(shown(name).header, expected.columns, name)
            XCTAssertEqual(shown(name).rows, expected.rows, name)
        }
        // The demo's sessions all fall in the window: the window's ranking is the canned query's without one.
        XCTAssertEqual(try rows("top-sessions", [:]).rows, shown("top-sessions").rows)
        XCTAssertEqual(shown("top-pages").params, "day=\(day)")

        // The summary tiles are the tables' sums.
        let views = hourly.rows.reduce(0) { $0 + Int($1[1])! }
        let quarantined = try rows("quarantine-summary", ["run": "latest"]).rows.reduce(0) { $0 + Int($1[2])! }
        let anomalies = try rows("anomalies", ["day": day]).rows.count
        let sessions = try rows("bounce-rate", ["day": day]).rows[0][1]
        for (tile, value) in [("events", 20_000), ("page-views", views), ("anomalies", anomalies), ("quarantined", quarantined),
                              ("sessions", Int(sessions)!), ("runs", 1)] {
            XCTAssertTrue(html.contains("data-tile=\"\(tile)\"><dt>") && html.range(of: "data-tile=\"\(tile)\"><dt>[^<]*</dt><dd>\(grouped(value))</dd>", options: .regularExpression) != nil,
                          "\(tile) = \(value)")
        }
        XCTAssertGreaterThan(quarantined, 0)
        XCTAssertGreaterThan(anomalies, 0)
    }

    func testRunsAndLineageNameTheDemoReplay() throws {
        let f = try DemoReportFixture.get()
        let html = try f.html()
        let archive = f.directory.url("archive")
        XCTAssertTrue(html.contains("<td>demo</td><td>\(archive)</td><td>2025-07-03T05:00:00.000Z</td><td>2025-07-03T11:00:00.000Z</td>"), "runs row")
        // The lineage row: the archive, its kind, one run, the objects that run read.
        let db = try Database(path: f.database, readOnly: true)
        let objects = try db.scalarInt("SELECT objects FROM runs WHERE run_id = 1")!
        XCTAssertGreaterThan(objects, 20_000)
        XCTAssertTrue(html.contains("<td>\(archive)</td><td>local archive</td><td class=\"num\">1</td><td class=\"num\">\(objects)</td><td>runs 1</td>"))
    }

    func testAWindowWithNoDataSaysSoAndDrawsNoEmptyChart() throws {
        let f = try DemoReportFixture.get()
        let out = f.directory.url("empty.html")
        let r = try ClickstreamBinary.run(["report", "--from", "2025-07-05", "--to", "2025-07-06", "--db", f.database, "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.components(separatedBy: ", ")[1], "0 charts")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(html.contains("<p class=\"empty\">No events in this window.</p>"))
        XCTAssertTrue(html.contains("<p class=\"empty\">No anomalies in this window.</p>"))
        XCTAssertTrue(html.contains("<p class=\"empty\">No run recorded for this window.</p>"))
    }

    func testErrorsNameWhatIsWrong() throws {
        let f = try DemoReportFixture.get()
        let missing = try ClickstreamBinary.run(["report", "--from", "2025-07-03", "--to", "2025-07-04", "--db", f.directory.url("nope.sqlite"), "--out", f.directory.url("x.html")])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "error: database \(f.directory.url("nope.sqlite")): does not exist; run `clickstream replay` or `clickstream demo` first\n")
        let long = try ClickstreamBinary.run(["report", "--from", "2025-01-01", "--to", "2025-03-01", "--db", f.database])
        XCTAssertEqual(long.status, 2)
        XCTAssertEqual(long.stderr, "error: report: the window touches 59 days; a report covers at most 31 (make one per week or month)\n")
        let noFrom = try ClickstreamBinary.run(["report", "--db", f.database])
        XCTAssertEqual(noFrom.status, 2)
        XCTAssertEqual(noFrom.stderr, "error: Missing --from TIME (or --since DURATION). (see --help)\n")
        let badTime = try ClickstreamBinary.run(["report", "--from", "last tuesday", "--db", f.database])
        XCTAssertEqual(badTime.status, 2)
        XCTAssertTrue(badTime.stderr.hasPrefix("error: --from: "), badTime.stderr)
    }

    private func grouped(_ n: Int) -> String {
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.groupingSeparator = ","
        f.usesGroupingSeparator = true
        return f.string(from: NSNumber(value: n))!
    }
}
