import ClickstreamSamples
import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamRuns
import ClickstreamStore
import ClickstreamTestSupport
import Foundation
@testable import SourceS3
import XCTest

final class S3ArchiveSourceTests: XCTestCase {
    /// The same archive as relative path -> bytes, in all three layouts, with gzip, a truncated gzip, a bad line,
    /// markers that are not data, and an hour far outside the window.
    func archiveFiles() -> [String: [UInt8]] {
        let events = randomEvents(seed: 7, count: 600, hours: 5)
        var byHour: [Int64: [String]] = [:]
        for e in events { byHour[(e.ms - day0) / hourMs, default: []].append(e.line) }
        func ndjson(_ h: Int64) -> [UInt8] { Array((byHour[h, default: []].joined(separator: "\n") + "\n").utf8) }
        var files: [String: [UInt8]] = [:]
        files["year=2025/month=7/day=3/hour=0/part-0.json"] = ndjson(0)
        files["year=2025/month=07/day=03/hour=01/part-0.json.gz"] = Gzip.stored(ndjson(1))
        files["2025/07/03/02/firehose-1"] = Gzip.stored(ndjson(2))  // gzip by magic bytes, no .gz
        files["2025/07/03/03/firehose-2"] = ndjson(3) + Array("{\"event_type\": \"click\", trunc\n".utf8)
        files["year=2025/month=7/day=3/hour=4/a.json"] = ndjson(4)
        files["year=2025/month=7/day=3/hour=4/bad.json.gz"] = Array(Gzip.stored(ndjson(4)).prefix(40))
        files["year=2025/month=7/day=3/hour=4/_SUCCESS"] = []
        files["year=2025/month=7/day=3/hour=4/.tmp-part"] = Array("garbage".utf8)
        files["year=2025/month=7/day=3/_tmp/x.json"] = Array("garbage".utf8)
        files["year=2025/month=7/day=4/hour=20/far.json"] = Array((eventLine(session: "far", at: day0 + 44 * hourMs) + "\n").utf8)
        return files
    }

    func upload(_ files: [String: [UInt8]], bucket: String, prefix: String, s3: S3Client) throws {
        for (path, bytes) in files { try s3.putObject(bucket: bucket, key: prefix + path, body: bytes) }
    }

    func testLayoutsGzipAndBadObjectsMatchALocalReplay() throws {
        _ = useMoto()
        let s3 = S3Client(transport: try motoTransport())
        let bucket = uniqueName("archive")
        try s3.createBucket(bucket)
        let files = archiveFiles()
        try upload(files, bucket: bucket, prefix: "events/", s3: s3)
        let dir = try TemporaryDirectory()
        for (path, bytes) in files { _ = try dir.write("archive/" + path, bytes: bytes) }

        let from = day0, to = day0 + 5 * hourMs
        var source: S3ArchiveSource?
        let s3Summary = try replay(["s3://\(bucket)/events"], from: from, to: to, db: dir.url("s3.sqlite")) { url, options in
            let s = try Replay.defaultSource(url, options) as! S3ArchiveSource
            source = s
            return s
        }
        let localSummary = try replay([dir.url("archive")], from: from, to: to, db: dir.url("local.sqlite"))
        try assertSameTables(dir.url("s3.sqlite"), dir.url("local.sqlite"))

        // Every data object of the needed hours; not the markers, not day 4.
        XCTAssertEqual(source!.objects.map(\.key), [
            "events/2025/07/03/02/firehose-1", "events/2025/07/03/03/firehose-2",
            "events/year=2025/month=07/day=03/hour=01/part-0.json.gz",
            "events/year=2025/month=7/day=3/hour=0/part-0.json",
            "events/year=2025/month=7/day=3/hour=4/a.json", "events/year=2025/month=7/day=3/hour=4/bad.json.gz",
        ])
        XCTAssertEqual(source!.prefixesPruned, 1)  // day=4 (_tmp is not data)
        XCTAssertEqual(s3Summary.stats, localSummary.stats)
        XCTAssertEqual(s3Summary.stats.objects, 6)
        XCTAssertEqual(s3Summary.stats.quarantined, [.invalidJSON: 1, .unreadable: 1])
        XCTAssertEqual(s3Summary.stats.documents, localSummary.stats.documents)
        let q = try quarantineRows(dir.url("s3.sqlite"))
        XCTAssertEqual(q.map { [$0[0], $0[2]] }, [
            ["s3://\(bucket)/events/2025/07/03/03/firehose-2", "invalid_json"],
            ["s3://\(bucket)/events/year=2025/month=7/day=3/hour=4/bad.json.gz", "unreadable"],
        ])
        XCTAssertGreaterThan(s3Summary.stats.distinctNew, 500)
    }

    func testManifestSkipsUnchangedObjectsAndRereadsChangedOnes() throws {
        _ = useMoto()
        let s3 = S3Client(transport: try motoTransport())
        let bucket = uniqueName("manifest")
        try s3.createBucket(bucket)
        for h in 0..<3 {
            let lines = (0..<5).map { eventLine(session: "s\(h)", at: day0 + Int64(h) * hourMs + Int64($0) * 1000) }
            try s3.putObject(bucket: bucket, key: "year=2025/month=7/day=3/hour=\(h)/p.json", body: Array(lines.joined(separator: "\n").utf8))
        }
        let dir = try TemporaryDirectory()
        let db = dir.url("m.sqlite")
        var source: S3ArchiveSource?
        let make: (SourceURL, ReplayOptions) throws -> any IngestSource = { url, options in
            source = try Replay.defaultSource(url, options) as? S3ArchiveSource
            return source!
        }
        let window = (day0, day0 + 3 * hourMs)
        var s = try replay(["s3://\(bucket)/"], from: window.0, to: window.1, db: db, make: make)
        XCTAssertEqual([source!.fetched, s.skippedUnchanged, s.stats.distinctNew], [3, 0, 15])

        s = try replay(["s3://\(bucket)/"], from: window.0, to: window.1, db: db, make: make)
        XCTAssertEqual([source!.fetched, s.skippedUnchanged, s.stats.documents], [0, 3, 0])
        XCTAssertTrue(s.paragraph.contains("(3 unchanged objects skipped)"), s.paragraph)
        // A narrower window inside the recorded one also skips.
        s = try replay(["s3://\(bucket)/"], from: window.0 + hourMs, to: window.1, db: db, make: make)
        XCTAssertEqual([source!.fetched, s.skippedUnchanged], [0, 3])  // hour 0 is listed as slack

        // A changed object (new ETag and size) is read again; its new event counts once.
        let changed = (0..<6).map { eventLine(session: "s1", at: day0 + hourMs + Int64($0) * 1000) }
        try s3.putObject(bucket: bucket, key: "year=2025/month=7/day=3/hour=1/p.json", body: Array(changed.joined(separator: "\n").utf8))
        s = try replay(["s3://\(bucket)/"], from: window.0, to: window.1, db: db, make: make)
        XCTAssertEqual([source!.fetched, s.skippedUnchanged, s.stats.distinctNew, s.stats.duplicates], [1, 2, 1, 5])

        // --rebuild forgets the manifest of its hours: everything there is read again.
        s = try replay(["s3://\(bucket)/"], from: window.0, to: window.1, db: db, rebuild: true, make: make)
        XCTAssertEqual([source!.fetched, s.skippedUnchanged, s.stats.distinctNew], [3, 0, 16])
        XCTAssertEqual(try rows(db, "SELECT count(*) FROM _s3_objects"), [[.integer(3)]])
        let fresh = dir.url("fresh.sqlite")
        try replay(["s3://\(bucket)/"], from: window.0, to: window.1, db: fresh, make: make)
        try assertSameTables(db, fresh)
    }

    func testThrottlingAnd5xxAreRetried() throws {
        let moto = useMoto()
        let s3 = S3Client(transport: try motoTransport())
        let bucket = uniqueName("retry")
        try s3.createBucket(bucket)
        for i in 0..<6 {
            try s3.putObject(bucket: bucket, key: "year=2025/month=7/day=3/hour=0/p\(i).json",
                             body: Array(eventLine(session: "r", at: day0 + Int64(i) * 1000).utf8))
        }
        // The first GET of every object fails (p0, p2, p4: 503 SlowDown; p1, p3, p5: 500), and the first listing
        // with a 500: per key, so the outcome does not depend on how the concurrent requests interleave.
        final class Seen: @unchecked Sendable {
            let lock = NSLock()
            var targets = Set<String>()
            func first(_ t: String) -> Bool { lock.lock(); defer { lock.unlock() }; return targets.insert(t).inserted }
        }
        let seen = Seen()
        let proxy = try FaultInjectingProxy(upstream: moto.endpoint) { (request, nth) -> StubHTTPServer.Response? in
            if request.method == "GET", !request.target.contains("list-type"), seen.first(request.target) {
                return request.target.hasSuffix("0.json") || request.target.hasSuffix("2.json") || request.target.hasSuffix("4.json")
                    ? .init(status: 503, body: Array("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>".utf8))
                    : .init(status: 500, body: Array("<Error><Code>InternalError</Code><Message>boom</Message></Error>".utf8))
            }
            if request.target.contains("list-type"), nth == 1 { return .init(status: 500) }
            return nil
        }
        defer { proxy.stop() }
        let transport = try motoTransport(endpoint: proxy.endpoint)
        let dir = try TemporaryDirectory()
        let s = try replay(["s3://\(bucket)"], from: day0, to: day0 + hourMs, db: dir.url("r.sqlite")) { url, _ in
            guard case let .s3(b, p) = url else { fatalError() }
            return S3ArchiveSource(bucket: b, prefix: p, client: S3Client(transport: transport), concurrency: 4, workers: 2)
        }
        XCTAssertEqual(s.stats.distinctNew, 6)
        XCTAssertEqual(transport.counters.throttles, 3)
        XCTAssertEqual(transport.counters.retries, 7)
    }

    func testAnObjectDeletedAfterListingIsQuarantinedAndTheRunGoesOn() throws {
        let moto = useMoto()
        let s3 = S3Client(transport: try motoTransport())
        let bucket = uniqueName("gone")
        try s3.createBucket(bucket)
        for i in 0..<3 {
            try s3.putObject(bucket: bucket, key: "year=2025/month=7/day=3/hour=0/p\(i).json",
                             body: Array(eventLine(session: "g", at: day0 + Int64(i) * 1000).utf8))
        }
        let proxy = try FaultInjectingProxy(upstream: moto.endpoint) { (request, _) -> StubHTTPServer.Response? in
            guard request.method == "GET", request.target.hasSuffix("p1.json") else { return nil }
            return .init(status: 404, body: Array("<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>".utf8))
        }
        defer { proxy.stop() }
        let transport = try motoTransport(endpoint: proxy.endpoint)
        let dir = try TemporaryDirectory()
        let db = dir.url("g.sqlite")
        let s = try replay(["s3://\(bucket)"], from: day0, to: day0 + hourMs, db: db) { url, _ in
            guard case let .s3(b, p) = url else { fatalError() }
            return S3ArchiveSource(bucket: b, prefix: p, client: S3Client(transport: transport), concurrency: 4, workers: 2)
        }
        XCTAssertEqual(s.stats.distinctNew, 2)
        XCTAssertEqual(s.stats.quarantined, [.unreadable: 1])
        let q = try rows(db, "SELECT source, location, reason, message LIKE 'listed but gone when read: s3 GetObject%HTTP 404 NoSuchKey%' FROM quarantine")
        XCTAssertEqual(q, [[.text("s3://\(bucket)/year=2025/month=7/day=3/hour=0/p1.json"), .text("object"), .text("unreadable"), .integer(1)]])
        // It is not recorded as read: the next replay tries it again.
        XCTAssertEqual(try rows(db, "SELECT count(*) FROM _s3_objects WHERE key LIKE '%p1.json'"), [[.integer(0)]])
    }

    func testMissingBucketFailsNamingTheSourceAndCode() throws {
        _ = useMoto()
        let dir = try TemporaryDirectory()
        XCTAssertThrowsError(try replay(["s3://no-such-bucket-\(UInt32.random(in: 0...UInt32.max))/x"], from: day0, to: day0 + hourMs,
                                        db: dir.url("e.sqlite"))) { error in
            let e = error as! ClickstreamError
            XCTAssertEqual(e.exitCode, 1)
            XCTAssertTrue(e.description.hasPrefix("source s3://no-such-bucket-"), e.description)
            XCTAssertTrue(e.description.contains("ListObjectsV2"), e.description)
            XCTAssertTrue(e.description.contains("HTTP 404 NoSuchBucket"), e.description)
        }
    }
}
