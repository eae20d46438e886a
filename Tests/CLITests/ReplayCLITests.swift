import ClickstreamStore
import ClickstreamTestSupport
import Foundation
import XCTest

/// The real binary: bad input is quarantined with its location and reason, the run goes on, exit codes and
/// one-line errors are as docs/cli.md says.
final class ReplayCLITests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory() }

    func good(_ session: String, _ second: Int) -> String {
        "{\"event_type\":\"click\",\"session_id\":\"\(session)\",\"timestamp\":\"2025-07-03T05:00:\(String(format: "%02d", second)).250Z\",\"user_agent\":\"Mozilla\"}"
    }

    func testBadLinesAreQuarantinedAndGoodOnesAroundThemCount() throws {
        var bytes: [UInt8] = []
        func line(_ s: String) { bytes += Array(s.utf8) + [10] }
        line(good("a", 1))                                                                             // 1
        line("{\"event_type\": \"click\", \"session_id\": ")                                           // 2 truncated
        line("[1,2]")                                                                                  // 3
        line("{\"event_type\":\"click\",\"timestamp\":\"2025-07-03T05:00:00Z\"}")                     // 4 no session_id
        line("{\"event_type\":7,\"session_id\":\"s\",\"timestamp\":\"2025-07-03T05:00:00Z\"}")        // 5
        line("{\"event_type\":\"click\",\"session_id\":\"s\",\"timestamp\":\"2025-02-30T10:00:00Z\"}") // 6
        bytes += Array("{\"event_type\":\"click\",\"session_id\":\"".utf8) + [0xC3, 0x28] + Array("\",\"timestamp\":\"2025-07-03T05:00:00Z\"}".utf8) + [10] // 7 invalid UTF-8
        line(good("b", 2))                                                                             // 8
        line(String(repeating: "x{[\"", count: 2_500_000))                                             // 9: 10 MB garbage
        line("{\"event_type\":\"click\",\"session_id\":\"s\",\"timestamp\":\"2025-07-03T05:00:01Z\",\"user_id\":42}") // 10
        line("{\"event_type\":\"page_view\",\"session_id\":\"s\",\"timestamp\":\"2025-07-03T05:00:01Z\"}")  // 11
        line("")                                                                                       // 12 blank
        bytes += Array(good("c", 3).utf8) + [13, 10]                                                   // 13 CRLF
        let file = try dir.write("arch/year=2025/month=7/day=3/hour=5/part.json", bytes: bytes)
        try dir.write("arch/year=2025/month=7/day=3/hour=5/empty.json", "")
        // A gzip stream cut short: unreadable, one row, none of its events count.
        let gz = try gzip(Array((good("z", 9) + "\n").utf8))
        let truncated = try dir.write("arch/year=2025/month=7/day=3/hour=5/cut.json.gz", bytes: Array(gz.prefix(gz.count - 6)))
        try dir.write("arch/year=2025/month=7/day=3/hour=5/_SUCCESS", "not data")

        let db = dir.url("t.sqlite")
        let r = try ClickstreamBinary.run(["replay", dir.url("arch"), "--from", "2025-07-03T05:00:00Z", "--to", "2025-07-03T06:00:00Z", "--db", db])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("3 new distinct, 0 duplicates, 0 outside the window, 10 quarantined (invalid_json 3, not_object 1, missing_field 2, wrong_type 2, bad_timestamp 1, unreadable 1)"), r.stdout)

        let q = try Database(path: db).prepare("SELECT source, location, reason, length(raw) FROM quarantine ORDER BY source, id").rows()
        XCTAssertEqual(q, [
            [.text(truncated), .text("object"), .text("unreadable"), .integer(0)],
            [.text(file), .text("line 2"), .text("invalid_json"), .integer(37)],
            [.text(file), .text("line 3"), .text("not_object"), .integer(5)],
            [.text(file), .text("line 4"), .text("missing_field"), .integer(57)],
            [.text(file), .text("line 5"), .text("wrong_type"), .integer(68)],
            [.text(file), .text("line 6"), .text("bad_timestamp"), .integer(74)],
            [.text(file), .text("line 7"), .text("invalid_json"), .integer(75)],
            [.text(file), .text("line 9"), .text("invalid_json"), .integer(4096)],
            [.text(file), .text("line 10"), .text("wrong_type"), .integer(87)],
            [.text(file), .text("line 11"), .text("missing_field"), .integer(78)],
        ])
        let messages = try Database(path: db).prepare("SELECT message FROM quarantine WHERE location IN ('line 4', 'line 10') ORDER BY id").rows()
        XCTAssertEqual(messages, [[.text("required field \"session_id\" is missing")], [.text("field \"user_id\" must be a string or null, got number")]])
        XCTAssertEqual(try Database(path: db).prepare("SELECT session_id, event_count FROM session_metrics ORDER BY 1").rows(),
                       [[.text("a"), .integer(1)], [.text("b"), .integer(1)], [.text("c"), .integer(1)]])
    }

    func testAllThreeLayoutsInOneArchive() throws {
        try dir.write("mix/year=2025/month=7/day=3/hour=5/a.json", good("unpadded", 1))
        try dir.write("mix/year=2025/month=07/day=03/hour=05/b.json", good("padded", 2))
        try dir.write("mix/2025/07/03/05/c.json", good("firehose", 3))
        try dir.write("mix/2025/07/03/09/d.json", good("later", 4).replacingOccurrences(of: "T05", with: "T09"))
        let db = dir.url("l.sqlite")
        let r = try ClickstreamBinary.run(["replay", "file://" + dir.url("mix"), "--from", "2025-07-03T05:00Z", "--to", "2025-07-03T06:00Z", "--db", db])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try Database(path: db).prepare("SELECT session_id FROM session_metrics ORDER BY 1").rows(),
                       [[.text("firehose")], [.text("padded")], [.text("unpadded")]])
        XCTAssertTrue(r.stdout.contains("from 3 objects"), r.stdout) // hour 9 is not even opened
    }

    func testUsageErrorsExitTwoWithOneLine() throws {
        _ = try Store(path: dir.url("empty.sqlite"))
        for (args, message) in [
            (["replay", "x", "--from", "soon"], "error: --from: invalid time \"soon\""),
            (["replay", "x", "--from", "2025-07-03", "--to", "2025-07-02"], "error: --from (2025-07-03T00:00:00.000Z) must be before --to (2025-07-02T00:00:00.000Z)"),
            (["replay", "ftp://x", "--from", "2025-07-03"], "error: source ftp://x: unknown scheme; use a path, file://, s3:// or kinesis://"),
            (["replay", "x", "--from", "2025-07-03", "--concurrency", "0"], "error: --concurrency must be between 1 and 512, not 0. (see --help)\n"),
            (["replay", "x"], "error: Missing --from TIME (or --since DURATION). (see --help)\n"),
            (["query", "top-pages", "--param", "dy=2025-07-03", "--db", dir.url("empty.sqlite")], "error: Query 'top-pages' has no parameter 'dy'; its parameters are: day, limit."),
        ] {
            let r = try ClickstreamBinary.run(args, in: FileManager.default.currentDirectoryPath)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix(message), "\(args): \(r.stderr)")
        }
    }

    func testMissingSourceExitsOneNamingIt() throws {
        let r = try ClickstreamBinary.run(["replay", dir.url("nope"), "--from", "2025-07-03", "--to", "2025-07-04", "--db", dir.url("m.sqlite")])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "error: source \(dir.url("nope")): archive root '\(dir.url("nope"))' does not exist\n")
    }

    func testSecondWriterIsRefused() throws {
        try dir.write("a/year=2025/month=7/day=3/hour=5/a.json", good("a", 1))
        let db = dir.url("lock.sqlite")
        let held = try StoreLock(databasePath: db, command: "test holder")
        let r = try ClickstreamBinary.run(["replay", dir.url("a"), "--from", "2025-07-03", "--to", "2025-07-04", "--db", db])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: database \(db) is in use by another clickstream process (pid \(getpid()), test holder); wait for it to finish or stop it\n")
        withExtendedLifetime(held) {}
    }

    func testRunsTableRecordsEachRun() throws {
        try dir.write("a/year=2025/month=7/day=3/hour=5/a.json", good("a", 1) + "\n" + good("a", 1))
        let db = dir.url("runs.sqlite")
        for _ in 0..<2 {
            XCTAssertEqual(try ClickstreamBinary.run(["replay", dir.url("a"), "--from", "2025-07-03T05:00Z", "--to", "2025-07-03T06:00Z", "--db", db]).status, 0)
        }
        XCTAssertEqual(try Database(path: db).prepare("SELECT run_id, command, status, window_from, window_to, documents, distinct_new, duplicates FROM runs").rows(), [
            [.integer(1), .text("replay"), .text("ok"), .text("2025-07-03T05:00:00.000Z"), .text("2025-07-03T06:00:00.000Z"), .integer(2), .integer(1), .integer(1)],
            [.integer(2), .text("replay"), .text("ok"), .text("2025-07-03T05:00:00.000Z"), .text("2025-07-03T06:00:00.000Z"), .integer(2), .integer(0), .integer(2)],
        ])
    }

    func testQueryFormats() throws {
        try dir.write("a/year=2025/month=7/day=3/hour=5/a.json", [
            "{\"event_type\":\"page_view\",\"session_id\":\"s1\",\"timestamp\":\"2025-07-03T05:00:01Z\",\"page_url\":\"/home\"}",
            "{\"event_type\":\"page_view\",\"session_id\":\"s2\",\"timestamp\":\"2025-07-03T05:00:02Z\",\"page_url\":\"/home\"}",
            "{\"event_type\":\"page_view\",\"session_id\":\"s2\",\"timestamp\":\"2025-07-03T05:00:03Z\",\"page_url\":\"/a,b\"}",
        ].joined(separator: "\n"))
        let db = dir.url("q.sqlite")
        XCTAssertEqual(try ClickstreamBinary.run(["replay", dir.url("a"), "--from", "2025-07-03", "--to", "2025-07-04", "--db", db]).status, 0)
        let root = FileManager.default.currentDirectoryPath
        let csv = try ClickstreamBinary.run(["query", "top-pages", "--param", "day=2025-07-03", "--format", "csv", "--db", db], in: root)
        XCTAssertEqual(csv.stdout, "page_url,views\n/home,2\n\"/a,b\",1\n", csv.stderr)
        let json = try ClickstreamBinary.run(["query", "top-pages", "--param", "day=2025-07-03", "--param", "limit=1", "--format", "json", "--db", db], in: root)
        XCTAssertEqual(json.stdout.filter { !$0.isWhitespace }, "[{\"page_url\":\"/home\",\"views\":2}]", json.stderr)
        let list = try ClickstreamBinary.run(["query", "--list"], in: root)
        for name in ["top-pages", "hourly-traffic", "top-sessions", "events-per-minute", "anomalies", "funnel", "bounce-rate"] {
            XCTAssertTrue(list.stdout.contains(name), list.stdout)
        }
    }

    func testHelpListsTheCommands() throws {
        let r = try ClickstreamBinary.run(["--help"])
        XCTAssertEqual(r.status, 0)
        for c in ["replay", "query", "demo", "status"] { XCTAssertTrue(r.stdout.contains(c), r.stdout) }
    }

    func gzip(_ data: [UInt8]) throws -> [UInt8] {
        let src = dir.url("tmp-gz")
        try Data(data).write(to: URL(fileURLWithPath: src))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-f", src]
        try p.run()
        p.waitUntilExit()
        return Array(try Data(contentsOf: URL(fileURLWithPath: src + ".gz")))
    }
}
