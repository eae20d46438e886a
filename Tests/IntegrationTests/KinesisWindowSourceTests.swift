import ClickstreamSamples
import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamRuns
import ClickstreamStore
import ClickstreamTestSupport
import Foundation
@testable import SourceKinesis
import XCTest

final class KinesisWindowSourceTests: XCTestCase {
    func put(_ kinesis: KinesisClient, _ stream: String, _ lines: [String], gzipEvery: Int = 0, hashKey: String? = nil) throws {
        for (i, line) in lines.enumerated() {
            var data = Array(line.utf8)
            if gzipEvery > 0 && i % gzipEvery == 0 { data = Gzip.stored(data) }
            try kinesis.putRecord(stream: stream, KinesisPutRecordsEntry(data: data, partitionKey: "pk\(i)", explicitHashKey: hashKey))
        }
    }

    func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Records put before `from` are skipped by AT_TIMESTAMP even though their events lie in the window; after a
    /// split the parent is read before its children; every distinct event put after `from` is read exactly once.
    func testAtTimestampAcrossASplitShard() throws {
        _ = useMoto()
        let kinesis = KinesisClient(transport: try motoTransport())
        let stream = uniqueName("window")
        try kinesis.createStream(stream, shardCount: 2)
        let base = (nowMs() / 1000 + 5) * 1000
        func lines(_ phase: String, _ n: Int) -> [String] {
            (0..<n).map { eventLine("page_view", session: "\(phase)\($0 % 4)", at: base + Int64($0) * 1000, page: "/p\($0 % 3)") }
        }
        // moto's SplitShard re-puts the parent's records into the children (new arrival times; AWS keeps them in
        // the closed parent), so the early records go to shard 1, which is not split.
        try put(kinesis, stream, lines("early", 10), hashKey: "300000000000000000000000000000000000000")
        Thread.sleep(forTimeInterval: 1.2)
        let from = nowMs()
        Thread.sleep(forTimeInterval: 1.2)
        let phase2 = lines("mid", 12)
        try put(kinesis, stream, phase2, gzipEvery: 3)
        try put(kinesis, stream, [phase2[0]])  // a duplicate record
        let aggregated = lines("kpl", 3).map { Array($0.utf8) }
        try kinesis.putRecord(stream: stream, KinesisPutRecordsEntry(data: KinesisRecordDecoderTests.kpl(aggregated), partitionKey: "agg"))

        let shard0 = try kinesis.listShards(stream)[0]
        XCTAssertEqual(shard0.endingHashKey, "170141183460469231731687303715884105727")
        try kinesis.splitShard(stream: stream, shardId: shard0.shardId, newStartingHashKey: "85070591730234615865843651857942052864")
        let phase3 = lines("late", 10)
        try put(kinesis, stream, phase3)

        let dir = try TemporaryDirectory()
        var source: KinesisWindowSource?
        let to = base + hourMs
        let s = try replay(["kinesis://\(stream)"], from: from, to: to, db: dir.url("k.sqlite")) { url, _ in
            guard case let .kinesis(name) = url else { fatalError() }
            source = KinesisWindowSource(stream: name, client: kinesis, readers: 4, limit: 5)
            return source!
        }
        XCTAssertEqual(source!.shards.count, 4)
        XCTAssertEqual(source!.recordsRead, 12 + 1 + 1 + 10)
        XCTAssertEqual(s.stats.documents, 12 + 1 + 3 + 10)
        XCTAssertEqual(s.stats.distinctNew, 12 + 3 + 10)
        XCTAssertEqual(s.stats.duplicates, 1)
        let order = source!.shardOrder
        XCTAssertLessThan(order.firstIndex(of: "shardId-000000000000")!, order.firstIndex(of: "shardId-000000000002")!)
        XCTAssertLessThan(order.firstIndex(of: "shardId-000000000000")!, order.firstIndex(of: "shardId-000000000003")!)

        // The same distinct events from a local archive give the same tables.
        _ = try dir.write("local/events.json", (phase2 + lines("kpl", 3) + phase3).joined(separator: "\n"))
        try replay([dir.url("local")], from: from, to: to, db: dir.url("l.sqlite"))
        try assertSameTables(dir.url("k.sqlite"), dir.url("l.sqlite"))
    }

    /// S3 and Kinesis in one replay: exactly the union of their distinct events.
    func testS3AndKinesisTogetherGiveTheUnion() throws {
        _ = useMoto()
        let transport = try motoTransport()
        let kinesis = KinesisClient(transport: transport), s3 = S3Client(transport: transport)
        let stream = uniqueName("union"), bucket = uniqueName("union")
        try kinesis.createStream(stream, shardCount: 1)
        try s3.createBucket(bucket)
        let from = (nowMs() / hourMs - 1) * hourMs, to = from + 2 * hourMs
        let all = (0..<40).map { eventLine(session: "u\($0 % 5)", at: from + hourMs / 2 + Int64($0) * 60_000, page: "/x\($0 % 4)") }
        let archived = Array(all[0..<25]), streamed = Array(all[15..<40])
        var byKey: [String: [String]] = [:]
        for (i, line) in archived.enumerated() {
            let c = Timestamp.civil(from + hourMs / 2 + Int64(i) * 60_000)
            byKey["year=\(c.year)/month=\(c.month)/day=\(c.day)/hour=\(c.hour)/part.json", default: []].append(line)
        }
        for (key, lines) in byKey { try s3.putObject(bucket: bucket, key: key, body: Array(lines.joined(separator: "\n").utf8)) }
        try put(kinesis, stream, streamed)

        let dir = try TemporaryDirectory()
        let s = try replay(["s3://\(bucket)", "kinesis://\(stream)"], from: from, to: to, db: dir.url("u.sqlite"))
        XCTAssertEqual(s.stats.distinctNew, 40)
        XCTAssertEqual(s.stats.duplicates, 10)
        _ = try dir.write("local/a.json", all.joined(separator: "\n"))
        try replay([dir.url("local")], from: from, to: to, db: dir.url("l.sqlite"))
        try assertSameTables(dir.url("u.sqlite"), dir.url("l.sqlite"))
    }

    /// Throttled GetRecords are retried by the transport; an expired iterator is re-acquired after the last record.
    func testThrottlingAndExpiredIterators() throws {
        let moto = useMoto()
        let kinesis = KinesisClient(transport: try motoTransport())
        let stream = uniqueName("faults")
        try kinesis.createStream(stream, shardCount: 1)
        let base = (nowMs() / 1000) * 1000
        let lines = (0..<9).map { eventLine(session: "f", at: base + Int64($0) * 1000) }
        try put(kinesis, stream, lines)
        let proxy = try FaultInjectingProxy(upstream: moto.endpoint) { (request, nth) -> StubHTTPServer.Response? in
            guard request.headers["x-amz-target"] == "Kinesis_20131202.GetRecords" else { return nil }
            func error(_ type: String) -> StubHTTPServer.Response {
                .init(status: 400, headers: [("X-Amzn-ErrorType", type)], body: Array("{\"__type\":\"\(type)\",\"message\":\"injected\"}".utf8))
            }
            if nth == 1 { return error("ProvisionedThroughputExceededException") }
            if nth == 3 { return error("ExpiredIteratorException") }
            return nil
        }
        defer { proxy.stop() }
        let transport = try motoTransport(endpoint: proxy.endpoint)
        let dir = try TemporaryDirectory()
        var source: KinesisWindowSource?
        let s = try replay(["kinesis://\(stream)"], from: base - 60_000, to: base + hourMs, db: dir.url("f.sqlite")) { _, _ in
            source = KinesisWindowSource(stream: stream, client: KinesisClient(transport: transport), limit: 4)
            return source!
        }
        XCTAssertEqual(s.stats.distinctNew, 9)
        XCTAssertEqual(s.stats.duplicates, 0)
        XCTAssertEqual(source!.iteratorsRenewed, 1)
        XCTAssertEqual(transport.counters.throttles, 1)
    }

    func testMissingStreamFailsNamingTheSourceAndCode() throws {
        _ = useMoto()
        let dir = try TemporaryDirectory()
        XCTAssertThrowsError(try replay(["kinesis://no-such-stream"], from: day0, to: day0 + hourMs, db: dir.url("e.sqlite"))) { error in
            let e = error as! ClickstreamError
            XCTAssertEqual(e.exitCode, 1)
            XCTAssertTrue(e.description.hasPrefix("source kinesis://no-such-stream: kinesis ListShards on stream no-such-stream failed"), e.description)
            XCTAssertTrue(e.description.contains("ResourceNotFoundException"), e.description)
        }
    }
}
