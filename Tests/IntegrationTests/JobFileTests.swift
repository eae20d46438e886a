import ClickstreamCore
import ClickstreamExport
import ClickstreamJobs
import ClickstreamPipeline
import ClickstreamRuns
import ClickstreamSamples
import SourceKinesis
import SourceLocal
import SourceS3
import XCTest

/// Job files: the TOML subset, validation with file/line/key in every message, relative windows against `now`.
final class JobFileTests: XCTestCase {
    /// 2025-07-04T02:00:00Z
    let now = day0 + 26 * hourMs
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    func parse(_ text: String) throws -> JobFile { try JobFile.parse(text, path: "jobs/t.toml", now: now) }

    func assertError(_ text: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parse(text), file: file, line: line) { error in
            XCTAssertEqual("\(error)", expected, file: file, line: line)
        }
    }

    func testReplayJobWithEverything() throws {
        let job = try parse("""
            # comment
            [job]
            name = "nightly"   # trailing comment
            db = 'x.sqlite'

            [source]
            urls = [
              "./archive",      # first
              "s3://b/p",
            ]
            workers = 2

            [window]
            from = "yesterday"
            to = "today"
            rebuild = true

            [export]
            table_prefix = "prod"
            dry_run = true

            [queries]
            names = ["top-pages", "anomalies"]
            output_dir = "reports"
            format = "json"

            [queries.params]
            limit = 5
            day = "2025-07-01"
            """)
        XCTAssertEqual(job.name, "nightly")
        XCTAssertEqual(job.mode, .replay)
        XCTAssertEqual(job.databasePath, "x.sqlite")
        XCTAssertEqual(job.sources, [.local(path: "./archive"), .s3(bucket: "b", prefix: "p")])
        XCTAssertEqual(job.workers, 2)
        XCTAssertEqual(job.window, day0..<(day0 + 24 * hourMs))
        XCTAssertTrue(job.rebuild)
        XCTAssertEqual(job.export, JobFile.Export(tablePrefix: "prod", dryRun: true, concurrency: 16))
        XCTAssertEqual(job.queries, JobFile.Queries(names: ["top-pages", "anomalies"], params: ["limit": "5", "day": "2025-07-01"],
                                                    outputDirectory: "reports", format: "json"))
        XCTAssertNil(job.stream)
    }

    func testDefaultsAndDisabledExport() throws {
        let job = try parse("[job]\nname = \"b\"\n[source]\nurls = [\"a\"]\n[window]\nfrom = \"-6h\"\n[export]\nenabled = false\n")
        XCTAssertEqual(job.window, (now - 6 * hourMs)..<now)
        XCTAssertEqual(job.databasePath, "clickstream.sqlite")
        XCTAssertFalse(job.rebuild)
        XCTAssertNil(job.export)
        XCTAssertNil(job.queries)
    }

    func testStreamJob() throws {
        let job = try parse("""
            [job]
            name = "live"
            mode = "stream"
            [source]
            urls = ["kinesis://events"]
            [stream]
            start = "-1h"
            alert_command = "notify"
            status_interval = 2.5
            """)
        XCTAssertEqual(job.stream, StreamJobSpec(jobName: "live", stream: "events", start: .at(now - hourMs), databasePath: "clickstream.sqlite",
                                                 alertCommand: "notify", statusInterval: 2.5, jsonLog: false))
        XCTAssertEqual(try parse("[job]\nname=\"l\"\nmode=\"stream\"\n[source]\nurls=[\"kinesis://e\"]\n").stream?.start, .latest)
        let published = try parse("""
            [job]
            name = "live"
            mode = "stream"
            metrics = "cloudwatch"
            [source]
            urls = ["kinesis://events"]
            [stream]
            alert_sns_topic = "arn:aws:sns:eu-west-1:123456789012:alerts"
            """).stream!.streamOptions(jsonLog: false)
        XCTAssertEqual(published.alertTopicArn, "arn:aws:sns:eu-west-1:123456789012:alerts")
        XCTAssertTrue(published.publishMetrics)
        let replay = try parse("[job]\nname=\"n\"\nmetrics=\"cloudwatch\"\n[source]\nurls=[\"a\"]\n[window]\nfrom=\"-1h\"\n")
        XCTAssertTrue(replay.publishMetrics)
        XCTAssertEqual(try parse("[job]\nname=\"l\"\nmode=\"stream\"\n[source]\nurls=[\"kinesis://e\"]\n[stream]\nstart=\"trim-horizon\"\n").stream?.start, .trimHorizon)
    }

    func testErrorsNameFileLineKeyAndProblem() {
        let base = "[job]\nname = \"n\"\n[source]\nurls = [\"a\"]\n"
        assertError("[job]\nname = \"n\"\nmetrics = \"prometheus\"\n[source]\nurls = [\"a\"]\n[window]\nfrom = \"-1h\"\n",
                    "job file jobs/t.toml:3: job.metrics: must be \"cloudwatch\" (or left out), not \"prometheus\"")
        assertError(base + "[window]\nfrom = \"tomorow\"\n",
                    "job file jobs/t.toml:6: window.from: invalid time \"tomorow\": expected an ISO 8601 instant (2025-07-03T05:00:00Z, offsets allowed), a date (2025-07-03), now, today, yesterday, or a relative time (-90s, -30m, -6h, -7d)")
        assertError(base + "[window]\nfrom = \"today\"\nto = \"yesterday\"\n",
                    "job file jobs/t.toml:7: window.to: the window is empty: from (2025-07-04T00:00:00.000Z) must be before to (2025-07-03T00:00:00.000Z)")
        assertError(base, "job file jobs/t.toml: window.from: required; add a [window] table with from = …")
        assertError(base + "[window]\nto = \"now\"\n", "job file jobs/t.toml:5: window.from: required key is missing")
        assertError(base + "[window]\nfrom = \"today\"\nrebuild = \"yes\"\n", "job file jobs/t.toml:7: window.rebuild: must be true or false, not \"yes\"")
        assertError(base + "[window]\nform = \"today\"\n", "job file jobs/t.toml:6: window.form: unknown key (known in [window]: from, to, rebuild, min_events, allow_empty)")
        assertError(base + "[windows]\n", "job file jobs/t.toml:5: unknown table [windows] (known: [job], [source], [window], [export], [queries], [queries.params], [stream], [report])")
        assertError("[job]\nname = \"n\"\nmode = \"batch\"\n", "job file jobs/t.toml:3: job.mode: must be \"replay\" or \"stream\", not \"batch\"")
        assertError("[job]\nname = nightly\n", "job file jobs/t.toml:2: job.name: nightly is not a value: strings need quotes (\"nightly\")")
        assertError("[job]\nname = \"n\n", "job file jobs/t.toml:2: job.name: invalid string: unescaped control characters other than TAB (U+0009) are explicitly prohibited")
        assertError("[job]\nname = \"n\"\nname = \"m\"\n", "job file jobs/t.toml:3: job.name: invalid key-value pair: cannot redefine existing string 'name'")
        assertError("[job]\nname = \"n\"\n[source]\nurls = [\"a\",\n\"b\"\n", "job file jobs/t.toml:5: invalid array: encountered end-of-file")
        assertError("[job]\nname = \"n\"\n[source]\nurls = \"a\"\n", "job file jobs/t.toml:4: source.urls: must be an array of strings such as [\"…\"], not \"a\"")
        assertError("[job]\nname = \"n\"\n[source]\nurls = [\"ftp://x\"]\n", "job file jobs/t.toml:4: source.urls: source ftp://x: unknown scheme; use a path, file://, s3:// or kinesis://")
        assertError(base + "[window]\nfrom = \"today\"\n[export]\ndry_run = true\n", "job file jobs/t.toml:7: export.table_prefix: required key is missing")
        assertError(base + "[window]\nfrom = \"today\"\n[queries]\nnames = [\"top-pages\"]\nformat = \"xml\"\noutput_dir = \"r\"\n",
                    "job file jobs/t.toml:9: queries.format: must be \"csv\", \"json\" or \"table\", not \"xml\"")
        assertError("[job]\nname = \"l\"\nmode = \"stream\"\n[source]\nurls = [\"./archive\"]\n",
                    "job file jobs/t.toml:5: source.urls: a stream job reads exactly one kinesis://stream-name")
        assertError("[job]\nname = \"l\"\nmode = \"stream\"\n[source]\nurls = [\"kinesis://e\"]\n[window]\nfrom = \"today\"\n",
                    "job file jobs/t.toml:6: [window] is not used by mode = \"stream\"; remove it")
        assertError("name = \"n\"\n", "job file jobs/t.toml:1: name: keys belong in a table such as [job]; put a [table] header above this line")
        XCTAssertThrowsError(try JobFile.load(path: "/nonexistent/j.toml", now: now)) {
            XCTAssertEqual("\($0)", "job file /nonexistent/j.toml: does not exist")
        }
    }

    func testShippedJobFilesAreValid() throws {
        let nightly = try JobFile.load(path: packageRoot + "/jobs/nightly-reaggregate.toml", now: now)
        XCTAssertEqual(nightly.window, day0..<(day0 + 24 * hourMs))
        XCTAssertTrue(nightly.rebuild)
        XCTAssertEqual(nightly.queries?.format, "csv")
        XCTAssertNil(nightly.export)
        let backfill = try JobFile.load(path: packageRoot + "/jobs/backfill-after-fix.toml", now: now)
        XCTAssertEqual(backfill.window, (day0 + 5 * hourMs)..<(day0 + 11 * hourMs))
        XCTAssertEqual(backfill.export, JobFile.Export(tablePrefix: "clickstream-prod", dryRun: true, concurrency: 16))
        let live = try JobFile.load(path: packageRoot + "/jobs/live.toml", now: now)
        XCTAssertEqual(live.mode, .stream)
        XCTAssertEqual(live.stream?.stream, "clickstream-events")
        XCTAssertEqual(live.stream?.start, .latest)
    }
}

final class JobFileSyntaxTests: XCTestCase {
    func message(_ text: String) -> String {
        do {
            _ = try JobFile.parse(text, path: "jobs/x.toml", now: day0)
            return "parsed"
        } catch { return "\(error)" }
    }

    func testSyntaxErrorsInAValueNameTheKey() {
        let base = "[job]\nname = \"x\"\n[source]\nurls = [\"./a\"]\n[window]\n"
        XCTAssertTrue(message(base + "from = yesterday\n").hasPrefix("job file jobs/x.toml:6: window.from: "), message(base + "from = yesterday\n"))
        XCTAssertTrue(message(base + "from = \"2025-07-03\\q\"\n").hasPrefix("job file jobs/x.toml:6: window.from: invalid string: unknown escape sequence"),
                      message(base + "from = \"2025-07-03\\q\"\n"))
    }

    func testAByteOrderMarkIsNotAKey() {
        let text = "\u{FEFF}[job]\nname = \"x\"\n[source]\nurls = [\"./a\"]\n[window]\nfrom = \"2025-07-03\"\nto = \"2025-07-04\"\n"
        XCTAssertEqual(message(text), "parsed")
    }
}
