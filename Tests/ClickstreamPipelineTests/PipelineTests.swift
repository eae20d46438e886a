import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import ClickstreamTestSupport
import XCTest

final class PipelineTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory() }

    func testWholeRunCommitsRowsAndPositionsTogetherThenAcknowledges() throws {
        let source = MemorySource(name: "memory://a", objects: [
            .init(name: "1.json", text: line("s1", "page_view", at: 0, page: "/home")),
            .init(name: "2.json", text: line("s1", "page_view", at: 1_000, page: "/home") + "\n" + line("s2", at: 2_000)),
            .init(name: "3.json", text: "{not json"),
        ], batchObjects: 1)
        let db = dir.url("a.sqlite")
        let outcome = try replay([source], into: db)
        XCTAssertEqual(source.delivered, 3)
        XCTAssertEqual(outcome.records, 3)
        XCTAssertEqual(outcome.stats.distinctNew, 3)
        XCTAssertEqual(outcome.stats.quarantined[.invalidJSON], 1)
        let t = try tables(db)
        XCTAssertEqual(t["page_metrics"], [[.text("/home"), .text("2025-07-03T00"), .integer(2)]])
        XCTAssertEqual(t["session_metrics"]?.map { $0[0...1] }, [[.text("s1"), .integer(2)], [.text("s2"), .integer(1)]])
        XCTAssertEqual(t["quarantine"]?.map { Array($0[0...2]) }, [[.text("memory://a/3.json"), .text("line 1"), .text("invalid_json")]])
        // One manifest row per object read intact, written in the run's transaction; acknowledged after the commit.
        XCTAssertEqual(t["_s3_objects"]?.map { $0[1] }, [.text("1.json"), .text("2.json"), .text("3.json")])
        XCTAssertEqual(source.acknowledged.count, 3)
    }

    /// The failure-path race: a source that throws after its second batch, while the writer may still be applying
    /// that batch on the same connection. The run fails as a source error (exit 1), the tables are exactly as
    /// before, nothing is acknowledged, and (under `swift test --sanitize=thread`) no data race is reported.
    func testSourceFailingAfterItsSecondBatchChangesNothing() throws {
        let db = dir.url("b.sqlite")
        try replay([MemorySource(objects: [.init(name: "base.json", text: line("base", "page_view", at: 0, page: "/"))])], into: db)
        let before = try tables(db)

        // Large batches so the writer is busy with the second when the source fails.
        let objects = (0..<6).map { b in
            MemorySource.Object(name: "\(b).ndjson", text: (0..<20_000).map { i in
                line("s\(b)-\(i % 3_000)", i % 2 == 0 ? "page_view" : "click", at: Int64(i) * 150, page: "/p\(i % 40)")
            }.joined(separator: "\n"))
        }
        let failing = FailingSource(MemorySource(name: "memory://failing", objects: objects, batchObjects: 1), failAfter: 2)
        XCTAssertThrowsError(try replay([failing], into: db)) { error in
            let e = error as? ClickstreamError
            XCTAssertEqual(e?.kind, .source)
            XCTAssertEqual(e?.exitCode, 1)
            XCTAssertEqual(e?.description, "source memory://failing: GetObject failed: HTTP 500 InternalError (injected)")
        }
        XCTAssertEqual(try tables(db), before)
        XCTAssertTrue(failing.acknowledged.isEmpty)
        // The database is usable afterwards: the same replay without the failure adds the events.
        try replay([MemorySource(objects: objects, batchObjects: 1)], into: db)
        XCTAssertEqual(try Database(path: db, readOnly: true).scalarInt("SELECT sum(event_count) FROM session_metrics"), 120_001)
    }

    func testPerBatchCommitsEachBatchAndReportsItsNewAnomaliesOnce() throws {
        let db = dir.url("c.sqlite")
        let source = MemorySource(objects: [
            .init(name: "1.json", text: line("bot", at: 0, agent: "Googlebot/2.1")),
            .init(name: "2.json", text: line("bot", at: 5_000, agent: "Googlebot/2.1")),
            .init(name: "3.json", text: line("human", "page_view", at: 6_000, page: "/checkout")),
        ], batchObjects: 1)
        let writer = try WriterStore(path: db, command: "test")
        let pipeline = Pipeline(store: writer.store, runId: 1, policy: .perBatch, databasePath: db)
        var commits: [Pipeline.Commit] = []
        var acknowledgedAtCommit: [Int] = []
        pipeline.onCommit = { commit in
            commits.append(commit)
            acknowledgedAtCommit.append(source.acknowledged.count)
        }
        let outcome = try pipeline.run([source], window: day0..<(day0 + hourMs), progress: RunProgress(log: Log(json: false, showProgress: false)))
        XCTAssertEqual(outcome.stats.distinctNew, 3)
        XCTAssertEqual(commits.map(\.stats.distinctNew), [1, 1, 1])
        // Each batch is acknowledged as soon as it is committed, before the next is read.
        XCTAssertEqual(acknowledgedAtCommit, [1, 2, 3])
        XCTAssertEqual(commits.map { $0.anomalies.map { "\($0.sessionId) \($0.kind) \($0.at)" } }, [
            ["bot suspicious_user_agent 2025-07-03T00:00:00.000Z"],
            [],
            ["human unusual_page_sequence 2025-07-03T00:00:06.000Z"],
        ])
    }
}
