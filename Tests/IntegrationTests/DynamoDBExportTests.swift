import AWSClient
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

/// `clickstream export dynamodb` against moto_server's DynamoDB, tables created as the production recipe does.
final class DynamoDBExportTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory() }

    func testExportWritesExactlyTheWindowAndTwiceGivesTheSameItems() throws {
        let db = try ExportFixture.database(dir)
        let prefix = ExportFixture.uniquePrefix()
        let client = try ExportFixture.client()
        try ExportFixture.createTables(prefix, client: client)

        let first = try ExportFixture.export(prefix, db: db)
        XCTAssertEqual(first.written, 9)
        XCTAssertEqual(first.failed.count, 0)
        XCTAssertEqual(first.itemsPerTable, ["\(prefix)-page-metrics": 2, "\(prefix)-session-metrics": 2, "\(prefix)-counters": 5])
        var after: [String: [DynamoDBItem]] = [:]
        for (suffix, items) in ExportFixture.expected {
            after[suffix] = try ExportFixture.scanAll("\(prefix)-\(suffix)", client: client)
            XCTAssertEqual(after[suffix], items, suffix)
        }

        let second = try ExportFixture.export(prefix, db: db)
        XCTAssertEqual(second.written, 9)
        for suffix in ExportFixture.expected.keys {
            XCTAssertEqual(try ExportFixture.scanAll("\(prefix)-\(suffix)", client: client), after[suffix], suffix)
        }
        // Both exports are recorded in `runs`.
        XCTAssertEqual(try rows(db, "SELECT command, sources, window_from, window_to, status, rows_written FROM runs WHERE command LIKE 'export%' ORDER BY run_id"),
                       Array(repeating: [.text("export dynamodb"), .text("dynamodb://\(prefix)"), .text("2025-07-03T05:00:00.000Z"),
                                         .text("2025-07-03T07:00:00.000Z"), .text("ok"), .integer(9)], count: 2))
    }

    /// The dry run reads for minutes on a large window: the binary says how far it is, table by table.
    func testDryRunShowsProgressPerTable() throws {
        let db = try ExportFixture.database(dir)
        let prefix = ExportFixture.uniquePrefix()
        try ExportFixture.createTables(prefix, client: try ExportFixture.client())
        let r = try ClickstreamBinary.run(["export", "dynamodb", "--table-prefix", prefix, "--from", "2025-07-03T05:00:00Z",
                                           "--to", "2025-07-03T07:00:00Z", "--dry-run", "--db", db, "--progress", "--log-format", "json"],
                                          in: dir.path, environment: MotoServer.shared.environment)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = try r.stderr.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        var last: [String: [Int]] = [:]
        for line in lines where line["event"] as? String == "progress" {
            guard let table = line["table"] as? String else { continue }
            last[table] = [line["done"] as! Int, line["total"] as! Int, line["percent"] as! Int, line["found"] as! Int]
        }
        // Page metrics are searched by partition key (2 pages), sessions by key (2); the tables are empty, so
        // nothing is found. The counters of July 2025 have a ttl long past: none is compared (nor would be written).
        XCTAssertEqual(last, ["\(prefix)-page-metrics": [2, 2, 100, 0], "\(prefix)-session-metrics": [2, 2, 100, 0]], r.stderr)
        XCTAssertTrue(r.stdout.contains("5 counter items skipped: their ttl has passed (--ttl-from-now writes them)."), r.stdout)
    }

    func testDryRunReportsExactlyTheCorruptedItemAndWritesNothing() throws {
        let db = try ExportFixture.database(dir)
        let prefix = ExportFixture.uniquePrefix()
        let client = try ExportFixture.client()
        try ExportFixture.createTables(prefix, client: client)
        try ExportFixture.export(prefix, db: db)

        // The production Lambda's bug: one wrong count, and one item for an hour with no page views in our result.
        let corrupted: DynamoDBItem = ["page_url": .s("/b"), "timestamp_hour": .s("2025-07-03T06"), "view_count": .n("7"), "last_updated": .n("5")]
        let stray: DynamoDBItem = ["page_url": .s("/a"), "timestamp_hour": .s("2025-07-03T06"), "view_count": .n("3"), "last_updated": .n("5")]
        try client.batchWriteAll(table: "\(prefix)-page-metrics", [.put(corrupted), .put(stray)])
        // A session item that is gone (deleted by hand): the export would insert it.
        try client.batchWriteAll(table: "\(prefix)-session-metrics", [.delete(key: ["session_id": .s("s2")])])
        let before = try ExportFixture.scanAll("\(prefix)-page-metrics", client: client)

        let summary = try ExportFixture.export(prefix, db: db, dryRun: true)
        XCTAssertEqual(summary.written, 0)
        XCTAssertEqual(try ExportFixture.scanAll("\(prefix)-page-metrics", client: client), before)
        XCTAssertEqual(summary.diffs.map(\.table), ["\(prefix)-page-metrics", "\(prefix)-session-metrics", "\(prefix)-counters"])

        let pages = summary.diffs[0]
        XCTAssertEqual(pages.changes.map(\.key), ["page_url=/b timestamp_hour=2025-07-03T06"])
        XCTAssertEqual(pages.changes[0].attributes, ["view_count"])
        XCTAssertEqual(pages.changes[0].countDifference, -6)
        XCTAssertEqual(pages.inserts, [])
        XCTAssertEqual(pages.absentFromOurs, ["page_url=/a timestamp_hour=2025-07-03T06"])
        XCTAssertEqual(pages.unchanged, 1)
        XCTAssertEqual(pages.hours, ["2025-07-03T05": .init(unchanged: 1), "2025-07-03T06": .init(change: 1, absentFromOurs: 1)])

        let sessions = summary.diffs[1]
        XCTAssertEqual(sessions.inserts, ["session_id=s2"])
        XCTAssertEqual(sessions.changes, [])
        XCTAssertEqual(sessions.unchanged, 1)

        let counters = summary.diffs[2]
        XCTAssertEqual(counters.inserts + counters.changes.map(\.key) + counters.absentFromOurs, [])
        XCTAssertEqual(counters.unchanged, 5)

        XCTAssertEqual(pages.report(), """
            \(prefix)-page-metrics: would insert 0, change 1, leave 1 unchanged; 1 in DynamoDB but absent from our result
              hour            insert  change  unchanged  absent
              2025-07-03T05        0       0          1       0
              2025-07-03T06        0       1          0       1
              change page_url=/b timestamp_hour=2025-07-03T06: view_count 7 -> 1
              absent from our result: page_url=/a timestamp_hour=2025-07-03T06
            """)
        // A dry run is not recorded in `runs`: only the first export is.
        XCTAssertEqual(try rows(db, "SELECT count(*) FROM runs WHERE command LIKE 'export%'"), [[.integer(1)]])
    }

    func testMissingTableRefusesToStart() throws {
        let db = try ExportFixture.database(dir)
        let prefix = ExportFixture.uniquePrefix()
        let client = try ExportFixture.client()
        try ExportFixture.createTables(prefix, skip: "session-metrics", client: client)
        for dryRun in [false, true] {
            XCTAssertThrowsError(try ExportFixture.export(prefix, db: db, dryRun: dryRun)) { error in
                let e = error as! ClickstreamError
                XCTAssertEqual(e.exitCode, 2)
                XCTAssertEqual(e.description, "DynamoDB table \(prefix)-session-metrics does not exist (region us-east-1, endpoint \(MotoServer.shared.endpoint)); "
                    + "check --table-prefix or create the table (key: HASH session_id (S))")
            }
        }
        XCTAssertEqual(try ExportFixture.scanAll("\(prefix)-page-metrics", client: client), [], "nothing written before the check")
    }

    func testWrongKeySchemaRefusesToStart() throws {
        let db = try ExportFixture.database(dir)
        let prefix = ExportFixture.uniquePrefix()
        let client = try ExportFixture.client()
        try ExportFixture.createTables(prefix, skip: "counters", client: client)
        try client.createTable("\(prefix)-counters", key: [.init(attributeName: "metric_name", keyType: "HASH", attributeType: "S")])
        XCTAssertThrowsError(try ExportFixture.export(prefix, db: db)) { error in
            let e = error as! ClickstreamError
            XCTAssertEqual(e.exitCode, 2)
            XCTAssertEqual(e.description, "DynamoDB table \(prefix)-counters has key HASH metric_name (S); expected HASH metric_name (S), "
                + "RANGE time_window (S) (docs/dynamodb.md); nothing was exported")
        }
        XCTAssertEqual(try ExportFixture.scanAll("\(prefix)-page-metrics", client: client), [])
    }
}
