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

/// The tables are a function of the set of distinct events.
final class IdempotenceTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory() }

    func testSameWindowTwiceChangesNothing() throws {
        let archive = try writeArchive(dir, randomEvents(seed: 1, count: 3000))
        let db = dir.url("a.sqlite")
        let first = try replay([archive], from: day0, to: day0 + 6 * hourMs, db: db)
        let before = try contractTables(db)
        let second = try replay([archive], from: day0, to: day0 + 6 * hourMs, db: db)
        XCTAssertEqual(try contractTables(db), before)
        XCTAssertEqual(second.stats.distinctNew, 0)
        XCTAssertEqual(second.stats.duplicates, first.stats.inWindow)
        XCTAssertEqual(first.stats.distinctNew + first.stats.duplicates, first.stats.inWindow)
        XCTAssertGreaterThan(first.stats.duplicates, 0)
    }

    func testOverlappingWindowsEqualOnePass() throws {
        let archive = try writeArchive(dir, randomEvents(seed: 2, count: 3000))
        let a = dir.url("a.sqlite"), b = dir.url("b.sqlite")
        try replay([archive], from: day0, to: day0 + 6 * hourMs, db: a)
        // Unaligned, overlapping pieces in a scrambled order.
        try replay([archive], from: day0 + 2 * hourMs + 123_456, to: day0 + 5 * hourMs + 17, db: b)
        try replay([archive], from: day0, to: day0 + 3 * hourMs, db: b)
        try replay([archive], from: day0 + 4 * hourMs, to: day0 + 6 * hourMs, db: b)
        try assertSameTables(a, b)
    }

    func testChunkedEqualsOnePass() throws {
        let events = randomEvents(seed: 3, count: 2000)
        let archive = try writeArchive(dir, events, parts: 7)
        let a = dir.url("a.sqlite"), b = dir.url("b.sqlite")
        try replay([archive], from: day0, to: day0 + 6 * hourMs, db: a)
        // One file per chunk and a single worker: many small applies in one transaction.
        let options = ReplayOptions(sources: [.local(path: archive)], window: day0..<(day0 + 6 * hourMs), databasePath: b, workers: 1)
        let r = Replay(options: options, log: Log(json: false, showProgress: false))
        r.makeSource = { url, o in
            guard case .local(let p) = url else { fatalError() }
            return try LocalArchiveSource(path: p, workers: 1, chunkBytes: 1)
        }
        _ = try r.run()
        try assertSameTables(a, b)
    }

    func testShuffledFilesEqualOnePass() throws {
        let events = randomEvents(seed: 4, count: 2000)
        var shuffled = events
        var rng = SplitMix(99)
        for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let a = try writeArchive(dir, events, root: "a")
        let b = try writeArchive(dir, shuffled, root: "b", parts: 5)
        try replay([a], from: day0, to: day0 + 6 * hourMs, db: dir.url("a.sqlite"))
        try replay([b], from: day0, to: day0 + 6 * hourMs, db: dir.url("b.sqlite"), workers: 1)
        try assertSameTables(dir.url("a.sqlite"), dir.url("b.sqlite"))
    }

    func testTwoSourcesAreOneUnion() throws {
        let events = randomEvents(seed: 5, count: 1500)
        let half = events.count / 2
        let a = try writeArchive(dir, Array(events[..<(half + 200)]), root: "a")
        let b = try writeArchive(dir, Array(events[(half - 200)...]), root: "b")
        let all = try writeArchive(dir, events, root: "all")
        try replay([a, b], from: day0, to: day0 + 6 * hourMs, db: dir.url("u.sqlite"))
        try replay([all], from: day0, to: day0 + 6 * hourMs, db: dir.url("all.sqlite"))
        try assertSameTables(dir.url("u.sqlite"), dir.url("all.sqlite"))
    }

    func testRebuildForgetsTheWindowFirst() throws {
        // Ingest a "buggy" archive, then fix hour 2 and rebuild it: equal to a clean replay of the fixed archive.
        let events = randomEvents(seed: 6, count: 2000)
        let buggy = try writeArchive(dir, events, root: "buggy")
        let fixedEvents = events.filter { !($0.ms >= day0 + 2 * hourMs && $0.ms < day0 + 3 * hourMs && $0.line.contains("\"scroll\"")) }
        XCTAssertLessThan(fixedEvents.count, events.count)
        let fixed = try writeArchive(dir, fixedEvents, root: "fixed")
        let db = dir.url("r.sqlite"), clean = dir.url("clean.sqlite")
        try replay([buggy], from: day0, to: day0 + 6 * hourMs, db: db)
        let s = try replay([fixed], from: day0 + 2 * hourMs + 60_000, to: day0 + 3 * hourMs - 60_000, db: db, rebuild: true)
        XCTAssertTrue(s.widened)
        XCTAssertEqual(s.window, (day0 + 2 * hourMs)..<(day0 + 3 * hourMs))
        try replay([fixed], from: day0, to: day0 + 6 * hourMs, db: clean)
        try assertSameTables(db, clean)
    }

    func testEventIdDecidesIdentity() throws {
        try dir.write("arch/year=2025/month=7/day=3/hour=0/a.json", [
            eventLine("click", session: "s", at: day0 + 1000, id: "e1"),
            eventLine("click", session: "s", at: day0 + 2000, user: "other", id: "e1"), // same id, other fields: same event
            eventLine("click", session: "s", at: day0 + 1000),                           // no id: a different event
            eventLine("click", session: "s", at: day0 + 1000),                           // identical fields: duplicate
        ].joined(separator: "\n"))
        let db = dir.url("id.sqlite")
        let s = try replay([dir.url("arch")], from: day0, to: day0 + hourMs, db: db)
        XCTAssertEqual(s.stats.distinctNew, 2)
        XCTAssertEqual(s.stats.duplicates, 2)
        XCTAssertEqual(try rows(db, "SELECT event_count FROM session_metrics"), [[.integer(2)]])
    }
}

/// One `event_id` is one event, even when its copies carry timestamps in neighbouring hours.
final class EventIdAcrossHoursTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory() }

    let a = eventLine("page_view", session: "s", at: day0 + hourMs - 1, page: "/a", id: "E")   // 00:59:59.999
    let b = eventLine("page_view", session: "s", at: day0 + hourMs, page: "/b", id: "E")       // 01:00:00.000

    func expectOnce(_ db: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try rows(db, "SELECT event_count FROM session_metrics"), [[.integer(1)]], file: file, line: line)
        XCTAssertEqual(try rows(db, "SELECT sum(view_count) FROM page_metrics"), [[.integer(1)]], file: file, line: line)
        XCTAssertEqual(try rows(db, "SELECT sum(event_count) FROM counters WHERE metric_name LIKE 'events_per_minute_%'"),
                       [[.integer(1)]], file: file, line: line)
    }

    func testOneRunKeepsTheEarliestCopy() throws {
        try dir.write("one/year=2025/month=7/day=3/hour=1/x.json", b + "\n" + a)
        let db = dir.url("one.sqlite")
        let s = try replay([dir.url("one")], from: day0, to: day0 + 2 * hourMs, db: db)
        XCTAssertEqual(s.stats.distinctNew, 1)
        XCTAssertEqual(s.stats.duplicates, 1)
        try expectOnce(db)
        XCTAssertEqual(try rows(db, "SELECT page_url FROM page_metrics"), [[.text("/a")]])
    }

    func testTwoRunsInEitherOrderCountItOnce() throws {
        try dir.write("a/year=2025/month=7/day=3/hour=0/x.json", a)
        try dir.write("b/year=2025/month=7/day=3/hour=1/x.json", b)
        for (name, order) in [("ab", ["a", "b"]), ("ba", ["b", "a"])] {
            let db = dir.url("\(name).sqlite")
            for source in order { try replay([dir.url(source)], from: day0, to: day0 + 2 * hourMs, db: db) }
            try expectOnce(db)
        }
    }

    func testChunksInOneRunCountItOnce() throws {
        try dir.write("c/year=2025/month=7/day=3/hour=0/x.json", a)
        try dir.write("c/year=2025/month=7/day=3/hour=1/x.json", b)
        let db = dir.url("c.sqlite")
        let options = ReplayOptions(sources: [.local(path: dir.url("c"))], window: day0..<(day0 + 2 * hourMs), databasePath: db, workers: 1)
        let r = Replay(options: options, log: Log(json: false, showProgress: false))
        r.makeSource = { url, _ in
            guard case .local(let p) = url else { fatalError() }
            return try LocalArchiveSource(path: p, workers: 1, chunkBytes: 1) // one file per chunk
        }
        _ = try r.run()
        try expectOnce(db)
    }
}

/// A large NDJSON file is cut into segments at line starts: same tables, same quarantine lines, as one piece.
final class LargeFileSegmentTests: XCTestCase {
    func testSegmentsEqualOnePieceIncludingLineNumbers() throws {
        let dir = try TemporaryDirectory()
        var lines = randomEvents(seed: 11, count: 3000).map(\.line)
        for at in [5, 777, 1500, 2999] { lines.insert("{\"event_type\": \"click\", \"session_id\": ", at: at) } // cut lines
        lines.insert(String(repeating: "z", count: 20_000), at: 2000)                                        // spans segments
        let text = lines.joined(separator: "\n") + "\n"
        try dir.write("a/big.ndjson", text)
        let expectedBad = lines.enumerated().filter { !$0.element.hasPrefix("{\"event_type\":\"") }.map { "line \($0.offset + 1)" }

        func run(_ db: String, segmentBytes: Int, workers: Int) throws -> ReplaySummary {
            let options = ReplayOptions(sources: [.local(path: dir.url("a"))], window: day0..<(day0 + 6 * hourMs), databasePath: db, workers: workers)
            let r = Replay(options: options, log: Log(json: false, showProgress: false))
            r.makeSource = { url, _ in
                guard case .local(let p) = url else { fatalError() }
                return try LocalArchiveSource(path: p, workers: workers, chunkBytes: 64 << 10, segmentBytes: segmentBytes)
            }
            return try r.run()
        }
        let whole = try run(dir.url("whole.sqlite"), segmentBytes: 1 << 30, workers: 1)
        let cut = try run(dir.url("cut.sqlite"), segmentBytes: 8 << 10, workers: 3)
        try assertSameTables(dir.url("whole.sqlite"), dir.url("cut.sqlite"))
        XCTAssertEqual(cut.stats.objects, 1)
        XCTAssertEqual(cut.stats.documents, whole.stats.documents)
        XCTAssertEqual(cut.stats.quarantined, [.invalidJSON: 5])
        for db in ["whole.sqlite", "cut.sqlite"] {
            XCTAssertEqual(try rows(dir.url(db), "SELECT location FROM quarantine ORDER BY CAST(substr(location, 6) AS INTEGER)"),
                           expectedBad.map { [.text($0)] }, db)
        }
    }
}
