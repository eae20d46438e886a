import AWSClient
import ClickstreamCore
import ClickstreamExport
import ClickstreamJobs
import ClickstreamPipeline
import ClickstreamRuns
import ClickstreamSamples
import ClickstreamStore
import ClickstreamTestSupport
import Foundation
import SourceKinesis
import SourceLocal
import SourceS3
import XCTest

/// `clickstream run jobs/NAME.toml`: the real binary for the command line (exit codes, messages), `JobRunner`
/// in-process for the export step against moto.
final class JobRunnerTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory() }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let binary = packageRoot + "/.build/debug/clickstream"

    /// Runs the built binary in `dir`; returns exit code, stdout, stderr.
    func clickstream(_ arguments: [String], environment: [String: String] = [:]) throws -> (code: Int32, out: String, err: String) {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw XCTSkip("build the binary first (swift build): \(Self.binary)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// Events on 2025-07-02, 2025-07-03 and 2025-07-04: the nightly job on 2025-07-04 must keep only the 3rd.
    func writeThreeDays() throws {
        var events: [(ms: Int64, line: String)] = []
        for (d, count) in [(-1, 2), (0, 3), (1, 4)] {
            for i in 0..<count {
                let ms = day0 + Int64(d) * 24 * hourMs + Int64(i) * hourMs + 5_000
                events.append((ms, eventLine("page_view", session: "d\(d)s\(i)", at: ms, page: "/p\(d)")))
            }
        }
        _ = try writeArchive(dir, events)
    }

    func nightlyJob(queries: Bool = true) -> String {
        """
        [job]
        name = "nightly"
        db = "n.sqlite"
        [source]
        urls = ["./archive"]
        [window]
        from = "yesterday"
        to = "today"
        rebuild = true
        """ + (queries ? "\n[queries]\nnames = [\"top-pages\", \"hourly-traffic\"]\noutput_dir = \"reports\"\n[queries.params]\nlimit = 2\n" : "\n")
    }

    func testNightlyJobWithNowRecomputesYesterday() throws {
        try writeThreeDays()
        try dir.write("jobs/nightly.toml", nightlyJob())
        let r = try clickstream(["run", "jobs/nightly.toml", "--now", "2025-07-04T02:30:00Z"],
                                environment: ["CLICKSTREAM_QUERIES": Self.packageRoot + "/queries"])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("3 new distinct"), r.out)
        let db = dir.url("n.sqlite")
        XCTAssertEqual(try rows(db, "SELECT * FROM page_metrics ORDER BY timestamp_hour"), [
            [.text("/p0"), .text("2025-07-03T00"), .integer(1)],
            [.text("/p0"), .text("2025-07-03T01"), .integer(1)],
            [.text("/p0"), .text("2025-07-03T02"), .integer(1)],
        ])
        XCTAssertEqual(try rows(db, "SELECT session_id FROM session_metrics ORDER BY 1"), [[.text("d0s0")], [.text("d0s1")], [.text("d0s2")]])
        XCTAssertEqual(try rows(db, "SELECT command, sources, window_from, window_to, rebuild, status, distinct_new FROM runs"), [
            [.text("run jobs/nightly.toml"), .text("./archive"), .text("2025-07-03T00:00:00.000Z"), .text("2025-07-04T00:00:00.000Z"),
             .integer(1), .text("ok"), .integer(3)],
        ])
        XCTAssertEqual(try String(contentsOfFile: dir.url("reports/top-pages-2025-07-03.csv"), encoding: .utf8), "page_url,views\n/p0,3\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.url("reports/hourly-traffic-2025-07-03.csv")))

        // Run again the next night: yesterday is now 2025-07-04.
        let next = try clickstream(["run", "jobs/nightly.toml", "--now", "2025-07-05T02:30:00Z"],
                                   environment: ["CLICKSTREAM_QUERIES": Self.packageRoot + "/queries"])
        XCTAssertEqual(next.code, 0, next.err)
        XCTAssertEqual(try rows(db, "SELECT count(*), sum(view_count) FROM page_metrics WHERE page_url = '/p1'"), [[.integer(4), .integer(4)]])
        XCTAssertEqual(try rows(db, "SELECT run_id, window_from, status FROM runs ORDER BY run_id"), [
            [.integer(1), .text("2025-07-03T00:00:00.000Z"), .text("ok")], [.integer(2), .text("2025-07-04T00:00:00.000Z"), .text("ok")],
        ])
    }

    func testBadJobFileExits2WithTheExactMessage() throws {
        try dir.write("jobs/bad.toml", "[job]\nname = \"bad\"\n[source]\nurls = [\"./archive\"]\n[window]\nfrom = \"last tuesday\"\n")
        let r = try clickstream(["run", "jobs/bad.toml"])
        XCTAssertEqual(r.code, 2)
        XCTAssertEqual(r.out, "")
        XCTAssertEqual(r.err, "error: job file jobs/bad.toml:6: window.from: invalid time \"last tuesday\": expected an ISO 8601 instant "
            + "(2025-07-03T05:00:00Z, offsets allowed), a date (2025-07-03), now, today, yesterday, or a relative time (-90s, -30m, -6h, -7d)\n")

        let missing = try clickstream(["run", "jobs/nope.toml"])
        XCTAssertEqual(missing.code, 2)
        XCTAssertEqual(missing.err, "error: job file jobs/nope.toml: does not exist\n")

        let badNow = try clickstream(["run", "jobs/bad.toml", "--now", "soon"])
        XCTAssertEqual(badNow.code, 2)
        XCTAssertTrue(badNow.err.hasPrefix("error: --now: invalid time \"soon\""), badNow.err)
    }

    func testSecondRunWhileOneHoldsTheDatabaseExits2AndChangesNothing() throws {
        try writeThreeDays()
        try dir.write("jobs/nightly.toml", nightlyJob(queries: false))
        let lock = try StoreLock(databasePath: dir.url("n.sqlite"), command: "run jobs/nightly.toml")
        let r = try clickstream(["run", "jobs/nightly.toml", "--now", "2025-07-04T02:30:00Z"])
        withExtendedLifetime(lock) {}
        XCTAssertEqual(r.code, 2)
        XCTAssertEqual(r.err, "job nightly: replay ./archive [2025-07-03T00:00:00.000Z, 2025-07-04T00:00:00.000Z) with rebuild\n"
            + "error: job nightly: replay: database n.sqlite is in use by another clickstream process (pid \(getpid()), run jobs/nightly.toml); "
            + "wait for it to finish or stop it\n")
        // The holder's lock is on the database file itself, so the holder made it (empty); the refused run wrote nothing.
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: dir.url("n.sqlite"))[.size] as? Int, 0)
    }

    func testFailingSourceExits1AndIsSafeToRerun() throws {
        try dir.write("jobs/nightly.toml", nightlyJob(queries: false))
        let r = try clickstream(["run", "jobs/nightly.toml", "--now", "2025-07-04T02:30:00Z"])
        XCTAssertEqual(r.code, 1)
        XCTAssertTrue(r.err.hasSuffix("error: job nightly: replay: source ./archive: archive root './archive' does not exist\n"), r.err)
        try writeThreeDays()
        let again = try clickstream(["run", "jobs/nightly.toml", "--now", "2025-07-04T02:30:00Z"])
        XCTAssertEqual(again.code, 0, again.err)
        XCTAssertEqual(try rows(dir.url("n.sqlite"), "SELECT sum(view_count) FROM page_metrics"), [[.integer(3)]])
    }

    func testStreamJobRunsTheLiveConsumer() throws {
        let job = try JobFile.parse("[job]\nname = \"live\"\nmode = \"stream\"\n[source]\nurls = [\"kinesis://events\"]\n[stream]\nstart = \"trim-horizon\"\n",
                                    path: "jobs/live.toml", now: day0)
        // Without the seam the live consumer runs: here it stops at once for want of AWS settings (exit 2).
        let runner = JobRunner(job: job, log: Log(json: false, showProgress: false))
        runner.environment = ["HOME": dir.path, "AWS_CONFIG_FILE": dir.url("none"), "AWS_SHARED_CREDENTIALS_FILE": dir.url("none"),
                              "AWS_EC2_METADATA_DISABLED": "true"]
        let cwd = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(dir.path)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd) }
        XCTAssertThrowsError(try runner.run()) {
            XCTAssertEqual(($0 as? ClickstreamError)?.exitCode, 2)
            XCTAssertTrue("\($0)".hasPrefix("AWS configuration: No AWS credentials found"), "\($0)")
        }
        var received: StreamJobSpec?
        _ = try JobRunner(job: job, log: Log(json: false, showProgress: false), startStream: { received = $0 }).run()
        XCTAssertEqual(received, job.stream)
    }

    func testBackfillJobReplaysThenDryRunsThenExports() throws {
        let archive = try writeArchive(dir, [
            (day0 + 5 * hourMs + 60_000, eventLine("page_view", session: "s1", at: day0 + 5 * hourMs + 60_000, page: "/a", agent: "UA1")),
        ])
        let prefix = ExportFixture.uniquePrefix()
        let client = try ExportFixture.client()
        try ExportFixture.createTables(prefix, client: client)
        let text = { (dryRun: Bool) in """
            [job]
            name = "backfill"
            db = "\(self.dir.url("b.sqlite"))"
            [source]
            urls = ["\(archive)"]
            [window]
            from = "2025-07-03T05:00:00Z"
            to = "2025-07-03T06:00:00Z"
            rebuild = true
            [export]
            table_prefix = "\(prefix)"
            dry_run = \(dryRun)
            """ }
        let run = { (dryRun: Bool) throws -> JobRunner.Summary in
            let runner = JobRunner(job: try JobFile.parse(text(dryRun), path: "jobs/backfill.toml", now: day0), log: Log(json: false, showProgress: false))
            runner.environment = MotoServer.shared.environment
            runner.exportNowSeconds = 42
            return try runner.run()
        }
        let dry = try run(true)
        XCTAssertEqual(dry.export?.diffs.map(\.inserts.count), [1, 1, 2])
        XCTAssertEqual(try ExportFixture.scanAll("\(prefix)-page-metrics", client: client), [])
        let real = try run(false)
        XCTAssertEqual(real.export?.written, 4)
        XCTAssertEqual(try ExportFixture.scanAll("\(prefix)-page-metrics", client: client),
                       [["page_url": .s("/a"), "timestamp_hour": .s("2025-07-03T05"), "view_count": .n("1"), "last_updated": .n("42")]])
        XCTAssertEqual(try rows(dir.url("b.sqlite"), "SELECT command, status FROM runs ORDER BY run_id"), [
            [.text("run jobs/backfill.toml"), .text("ok")], [.text("run jobs/backfill.toml"), .text("ok")],
            [.text("export dynamodb (run jobs/backfill.toml)"), .text("ok")],
        ])
    }

    /// The export command itself (not a job): exit codes and messages from the real binary.
    func testExportCommandExitCodes() throws {
        let db = try ExportFixture.database(dir)
        let prefix = ExportFixture.uniquePrefix()
        let env = MotoServer.shared.environment
        let args = ["export", "dynamodb", "--table-prefix", prefix, "--from", "2025-07-03T05:00:00Z", "--to", "2025-07-03T07:00:00Z", "--db", db]
        let missing = try clickstream(args, environment: env)
        XCTAssertEqual(missing.code, 2)
        XCTAssertEqual(missing.err, "error: DynamoDB table \(prefix)-page-metrics does not exist (region us-east-1, endpoint \(MotoServer.shared.endpoint)); "
            + "check --table-prefix or create the table (key: HASH page_url (S), RANGE timestamp_hour (S))\n")
        try ExportFixture.createTables(prefix, client: try ExportFixture.client())
        // The counters of July 2025 have a ttl long past: skipped and counted, unless --ttl-from-now.
        let ok = try clickstream(args, environment: env)
        XCTAssertEqual(ok.code, 0, ok.err)
        XCTAssertTrue(ok.out.hasPrefix("Exported 4 of 4 items (\(prefix)-counters 0, \(prefix)-page-metrics 2, \(prefix)-session-metrics 2) in "), ok.out)
        XCTAssertTrue(ok.out.hasSuffix(" 5 counter items skipped: their ttl has passed (--ttl-from-now writes them).\n"), ok.out)
        let fromNow = try clickstream(args + ["--ttl-from-now"], environment: env)
        XCTAssertEqual(fromNow.code, 0, fromNow.err)
        XCTAssertTrue(fromNow.out.hasPrefix("Exported 9 of 9 items (\(prefix)-counters 5, \(prefix)-page-metrics 2, \(prefix)-session-metrics 2) in "), fromNow.out)
        let dry = try clickstream(args + ["--dry-run"], environment: env)
        XCTAssertEqual(dry.code, 0, dry.err)
        XCTAssertTrue(dry.out.contains("\(prefix)-page-metrics: would insert 0, change 0, leave 2 unchanged; 0 in DynamoDB but absent from our result\n"), dry.out)
        let usage = try clickstream(["export", "dynamodb", "--table-prefix", prefix, "--from", "2025-07-03", "--concurrency", "0"])
        XCTAssertEqual(usage.code, 2)
        XCTAssertTrue(usage.err.contains("--concurrency must be between 1 and 256."), usage.err)
    }
}
