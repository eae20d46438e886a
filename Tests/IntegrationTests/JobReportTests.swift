import ClickstreamJobs
import ClickstreamTestSupport
import Foundation
import XCTest

/// `[report]` in a job file: the nightly job writes `reports/<day>.html` beside its CSVs.
final class JobReportTests: XCTestCase {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    func job(_ report: String) -> String {
        """
        [job]
        name = "nightly"
        db = "n.sqlite"
        [source]
        urls = ["./archive"]
        [window]
        from = "yesterday"
        to = "today"
        [queries]
        names = ["top-pages"]
        output_dir = "reports"
        \(report)
        """
    }

    func testTheNightlyJobWritesTheDaysReportBesideTheCSVs() throws {
        let dir = try TemporaryDirectory()
        var events: [(ms: Int64, line: String)] = []
        for i in 0..<3 {
            let ms = day0 + Int64(i) * hourMs + 5_000
            events.append((ms, eventLine("page_view", session: "s\(i)", at: ms, page: "/p")))
        }
        // A day later: outside yesterday's window, so not in its report.
        events.append((day0 + 24 * hourMs + 1, eventLine("page_view", session: "late", at: day0 + 24 * hourMs + 1, page: "/q")))
        _ = try writeArchive(dir, events)
        try dir.write("jobs/nightly.toml", job("[report]\noutput_dir = \"reports\"\n"))
        let r = try ClickstreamBinary.run(["run", "jobs/nightly.toml", "--now", "2025-07-04T02:30:00Z"], in: dir.path,
                                          environment: ["CLICKSTREAM_QUERIES": Self.packageRoot + "/queries"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue((r.stdout + r.stderr).contains("job nightly: report -> reports/2025-07-03.html ("), r.stdout + r.stderr)
        XCTAssertEqual(try String(contentsOfFile: dir.url("reports/top-pages-2025-07-03.csv"), encoding: .utf8), "page_url,views\n/p,3\n")
        let html = try String(contentsOfFile: dir.url("reports/2025-07-03.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<title>Clickstream report 2025-07-03T00:00:00.000Z – 2025-07-04T00:00:00.000Z</title>"))
        XCTAssertTrue(html.contains("<table data-query=\"top-pages\" data-params=\"day=2025-07-03\"><caption>top-pages for 2025-07-03</caption><thead><tr><th scope=\"col\">page_url</th><th scope=\"col\" class=\"num\">views</th></tr></thead><tbody><tr><td>/p</td><td class=\"num\">3</td></tr></tbody></table>"))
        XCTAssertTrue(html.contains("data-tile=\"events\"><dt>Events</dt><dd>3</dd>"))
    }

    func testReportTableIsCheckedWithTheRestOfTheFile() throws {
        let now: Int64 = day0 + 24 * hourMs
        XCTAssertEqual(try JobFile.parse(job("[report]\n"), path: "jobs/n.toml", now: now).report, JobFile.Report(outputDirectory: "reports"))
        XCTAssertNil(try JobFile.parse(job("[report]\nenabled = false\n"), path: "jobs/n.toml", now: now).report)
        XCTAssertNil(try JobFile.parse(job(""), path: "jobs/n.toml", now: now).report)
        XCTAssertThrowsError(try JobFile.parse(job("[report]\nout = \"x\"\n"), path: "jobs/n.toml", now: now)) { e in
            XCTAssertEqual("\(e)", "job file jobs/n.toml:13: report.out: unknown key (known in [report]: enabled, output_dir)")
        }
        XCTAssertThrowsError(try JobFile.parse(job("[report]\noutput_dir = \"\"\n"), path: "jobs/n.toml", now: now)) { e in
            XCTAssertEqual("\(e)", "job file jobs/n.toml:13: report.output_dir: must not be empty (leave it out for \"reports\")")
        }
        let stream = "[job]\nname = \"live\"\nmode = \"stream\"\n[source]\nurls = [\"kinesis://s\"]\n[report]\n"
        XCTAssertThrowsError(try JobFile.parse(stream, path: "jobs/live.toml", now: now)) { e in
            XCTAssertEqual("\(e)", "job file jobs/live.toml:6: [report] is not used by mode = \"stream\"; remove it")
        }
    }
}
