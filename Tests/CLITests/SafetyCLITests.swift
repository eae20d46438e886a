import ClickstreamTestSupport
import Foundation
import XCTest

/// The guard rails and conventions of the command line, through the real binary on the demo's archive.
final class SafetyCLITests: XCTestCase {
    var dir: TemporaryDirectory!
    let root = FileManager.default.currentDirectoryPath

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        let demo = try ClickstreamBinary.run(["demo", "--events", "500", "--hours", "1", "--dir", dir.url("demo-archive"),
                                              "--db", dir.url("c.sqlite"), "-q"], in: root)
        XCTAssertEqual(demo.status, 0, demo.stderr)
        XCTAssertEqual(demo.stdout, "", "-q prints nothing on success")
    }

    func run(_ args: [String], env: [String: String] = [:]) throws -> ClickstreamBinary.Result {
        try ClickstreamBinary.run(args, in: dir.path, environment: env)
    }

    func testAnEmptySourceWithRebuildChangesNothingAndExits1() throws {
        try FileManager.default.createDirectory(atPath: dir.url("evnts"), withIntermediateDirectories: true)
        let before = try Data(contentsOf: URL(fileURLWithPath: dir.url("c.sqlite")))
        let r = try run(["replay", "./evnts", "--from", "2025-07-03", "--to", "2025-07-04", "--rebuild", "--db", "c.sqlite"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr, "error: source ./evnts: no objects under the window's hour prefixes; nothing was changed. Use --allow-empty to clear the window\n")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir.url("c.sqlite"))), before, "byte for byte unchanged")
        // --min-events refuses inside the transaction: the rebuild's deletions are rolled back.
        let m = try run(["replay", "./demo-archive", "--from", "2025-07-03", "--to", "2025-07-04", "--rebuild", "--min-events", "100000", "--db", "c.sqlite"])
        XCTAssertEqual(m.status, 1, m.stderr)
        XCTAssertTrue(m.stderr.contains("fewer than --min-events 100000; nothing was changed"), m.stderr)
        let q = try run(["query", "top-sessions", "--format", "csv", "--param", "limit=1000", "--db", "c.sqlite"])
        XCTAssertGreaterThan(q.stdout.split(separator: "\n").count, 10)
        // --allow-empty clears the window, as asked.
        let a = try run(["replay", "./evnts", "--from", "2025-07-03", "--to", "2025-07-04", "--rebuild", "--allow-empty", "--db", "c.sqlite"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertTrue(a.stdout.contains("Replayed 0 events from 0 objects"), a.stdout)
    }

    func testDryRunReportsTableByTableAndCommitsNothing() throws {
        let before = try run(["query", "top-pages", "--param", "day=2025-07-03", "--format", "csv", "--db", "c.sqlite"]).stdout
        let r = try run(["replay", "./demo-archive", "--from", "2025-07-03", "--to", "2025-07-04", "--rebuild", "--dry-run", "--db", "c.sqlite"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Dry run: nothing was committed."), r.stdout)
        XCTAssertTrue(r.stdout.range(of: #"page_metrics +0 added, 0 changed, 0 removed, [0-9,]+ unchanged"#, options: .regularExpression) != nil, r.stdout)
        XCTAssertEqual(try run(["query", "top-pages", "--param", "day=2025-07-03", "--format", "csv", "--db", "c.sqlite"]).stdout, before)
    }

    func testRelativeTimesAfterTheirFlagAndSince() throws {
        for args in [["--from", "-6h"], ["--since", "6h"]] {
            let r = try run(["replay", "./demo-archive"] + args + ["--allow-empty", "--db", "c.sqlite"])
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stdout.hasPrefix("Replayed 0 events"), r.stdout)
        }
        let w = try run(["replay", "./demo-archive", "--from", "2025-07-03", "--workers", "-1", "--db", "c.sqlite"])
        XCTAssertEqual(w.status, 2)
        XCTAssertEqual(w.stderr, "error: --workers must be 0 (one per core) or a positive number of threads, not -1. (see --help)\n")
    }

    func testRunCheckNamesTheKeyAndWritesNothing() throws {
        try Data("""
            [job]
            name = "bad"
            db = "${JOB_DB:-job.sqlite}"
            [source]
            urls = ["./demo-archive"]
            [window]
            from = 2025-07-03
            to = 2025-07-04T00:00:00Z
            [queries]
            names = ["top-pages"]
            output_dir = "out"
            [queries.params]
            limit = "fifty"
            """.utf8).write(to: URL(fileURLWithPath: dir.url("bad.toml")))
        let r = try run(["run", "--check", "bad.toml"])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "error: job file bad.toml:13: queries.params.limit: top-pages: limit: expected an integer, got \"fifty\"\n")
        // The same check before a real run: nothing is replayed, no database or output folder appears.
        let real = try run(["run", "bad.toml"])
        XCTAssertEqual(real.status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.url("job.sqlite")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.url("out")))
        try String(contentsOfFile: dir.url("bad.toml"), encoding: .utf8).replacingOccurrences(of: "\"fifty\"", with: "5")
            .write(toFile: dir.url("bad.toml"), atomically: true, encoding: .utf8)
        let ok = try run(["run", "--check", "bad.toml"], env: ["JOB_DB": "env.sqlite"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("database: env.sqlite (will be created)"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains("query: top-pages (day=2025-07-03 limit=5)"), ok.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.url("env.sqlite")))
    }

    func testJSONLogLinesAllParseErrorsIncluded() throws {
        let bad = try run(["replay", "./nowhere", "--from", "2025-07-03", "--log-format", "json", "--db", "c.sqlite"])
        XCTAssertEqual(bad.status, 1)
        let lines = bad.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, bad.stderr)
        let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(o["event"] as? String, "error")
        XCTAssertEqual(o["exit_code"] as? Int, 1)
        XCTAssertEqual(o["subject"] as? String, "source ./nowhere")
        XCTAssertTrue((o["time"] as? String)?.hasSuffix("Z") == true)
        let good = try run(["replay", "./demo-archive", "--from", "2025-07-03", "--to", "2025-07-04", "--rebuild", "--log-format", "json", "--db", "c.sqlite"])
        XCTAssertEqual(good.status, 0, good.stderr)
        for line in good.stderr.split(separator: "\n") {
            XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(line.utf8)), String(line))
        }
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(good.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(summary["event"] as? String, "replay_summary")
        XCTAssertEqual(summary["distinct_new"] as? Int, 500)
        let status = try run(["status", "--format", "json", "--db", "c.sqlite"])
        let s = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((s["runs"] as? [Any])?.count, 2)
        let list = try run(["query", "--list", "--format", "json"])
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])?.first?["name"] as? String, "anomalies")
    }

    func testStdoutWriteErrorsFailTheCommand() throws {
        let r = try ClickstreamBinary.run(["sh", "-c", "true"], in: dir.path) // binary sanity: an unknown command exits 2
        XCTAssertEqual(r.status, 2)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "'\(ClickstreamBinary.path)' query top-pages --param day=2025-07-03 --format csv --db c.sqlite > /dev/full"]
        p.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 1)
        XCTAssertEqual(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "error: stdout: No space left on device\n")
        let q = try run(["query", "top-pages", "--param", "day=July", "--db", "c.sqlite"])
        XCTAssertEqual(q.status, 2)
        XCTAssertEqual(q.stderr, "error: Query 'top-pages' parameter day: expected a day as YYYY-MM-DD, got \"July\".\n")
        let v = try run(["--version"])
        XCTAssertEqual(v.stdout, "0.12.0\n")
    }
}

/// Ctrl-C during a replay: the run rolls back, is recorded as `interrupted` (not left `running`), exit 130.
final class InterruptCLITests: XCTestCase {
    func testSIGINTRollsBackAndRecordsTheRunAsInterrupted() throws {
        let dir = try TemporaryDirectory()
        let demo = try ClickstreamBinary.run(["demo", "--events", "200000", "--hours", "6", "--dir", "big", "--db", "c.sqlite", "-q"], in: dir.path)
        XCTAssertEqual(demo.status, 0, demo.stderr)
        let tables = try ClickstreamBinary.run(["query", "top-sessions", "--param", "limit=100000", "--format", "csv", "--db", "c.sqlite"], in: dir.path).stdout
        let p = try ClickstreamBinary.start(["replay", "big", "--from", "2025-07-03", "--to", "2025-07-04", "--rebuild", "--db", "c.sqlite"],
                                            in: dir.path)
        // Once the run's row says `running`, the replay is inside its transaction.
        let deadline = Date(timeIntervalSinceNow: 60)
        while Date() < deadline {
            let s = try ClickstreamBinary.run(["status", "--format", "csv", "--runs", "1", "--db", "c.sqlite"], in: dir.path).stdout
            if s.contains(",running,") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        p.signal(SIGINT)
        let ending = p.finish()
        let stderr = ending.stderr
        XCTAssertEqual(ending.status, 130, stderr)
        XCTAssertTrue(stderr.contains("SIGINT: stopping; the run rolls back and nothing is changed"), stderr)
        XCTAssertTrue(stderr.hasSuffix("error: stopped by a signal before the commit; nothing was changed\n"), stderr)
        let status = try ClickstreamBinary.run(["status", "--format", "csv", "--runs", "1", "--db", "c.sqlite"], in: dir.path).stdout
        XCTAssertTrue(status.contains(",interrupted,"), status)
        XCTAssertEqual(try ClickstreamBinary.run(["query", "top-sessions", "--param", "limit=100000", "--format", "csv", "--db", "c.sqlite"],
                                                 in: dir.path).stdout, tables)
    }
}
