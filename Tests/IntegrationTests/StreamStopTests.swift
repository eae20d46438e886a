import AWSClient
import ClickstreamTestSupport
import Foundation
import Synchronization
import XCTest

/// SIGTERM while a GetRecords hangs: the stream stops within seconds, exit 0, what was committed stays.
final class StreamStopTests: XCTestCase {
    func testSIGTERMDuringAHungGetRecordsStopsWithinFiveSeconds() throws {
        let moto = MotoServer.shared
        let kinesis = KinesisClient(transport: try AWSTransport(config: AWSConfig.resolve(environment: moto.environment)))
        let stream = "hung-\(UInt32.random(in: 0...UInt32.max))"
        try kinesis.createStream(stream, shardCount: 2)
        let events = (0..<50).map { i in (ms: day0 + Int64(i) * 1_000, line: eventLine(session: "s\(i % 5)", at: day0 + Int64(i) * 1_000)) }
        try StreamTests.put(kinesis, stream, events[...], batch: 50)
        let calls = Mutex(0)
        let proxy = try FaultInjectingProxy(upstream: moto.endpoint) { request, _ in
            guard request.headers["x-amz-target"]?.hasSuffix(".GetRecords") == true else { return .forward }
            // The first round of calls goes through (the events are committed); every later call hangs.
            if calls.withLock({ c in c += 1; return c }) > 2 { Thread.sleep(forTimeInterval: 90) }
            return .forward
        }
        defer { proxy.stop() }
        let dir = try TemporaryDirectory()
        let p = try ClickstreamBinary.start(["stream", "kinesis://\(stream)", "--start", "trim-horizon", "--db", dir.url("live.sqlite"),
                                             "--status-interval", "0"],
                                            environment: moto.environment.merging(["AWS_ENDPOINT_URL": proxy.endpoint]) { $1 })
        let deadline = Date(timeIntervalSinceNow: 30)
        while calls.withLock({ $0 }) < 3 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertGreaterThanOrEqual(calls.withLock { $0 }, 3, "the consumer reached a hanging call")
        Thread.sleep(forTimeInterval: 0.5)
        let sent = Date()
        let ending = p.stop()
        let took = Date().timeIntervalSince(sent)
        XCTAssertEqual(ending.status, 0, ending.stderr)
        XCTAssertLessThan(took, 5, ending.stderr)
        XCTAssertTrue(ending.stderr.contains("stopped:"), ending.stderr)
        XCTAssertEqual(try rows(dir.url("live.sqlite"), "SELECT sum(event_count) FROM session_metrics"), [[.integer(50)]])
    }
}

/// A stream deleted and created again under the same name: its old checkpoints mean nothing; the consumer says so
/// and reads the new stream from --start.
final class StreamRecreatedTests: XCTestCase {
    func testARecreatedStreamIsReadFromStart() throws {
        let moto = MotoServer.shared
        let kinesis = KinesisClient(transport: try AWSTransport(config: AWSConfig.resolve(environment: moto.environment)))
        let stream = "recreated-\(UInt32.random(in: 0...UInt32.max))"
        try kinesis.createStream(stream, shardCount: 1)
        let dir = try TemporaryDirectory()
        let db = dir.url("live.sqlite")
        func consume(until events: Int64) throws -> String {
            let p = try ClickstreamBinary.start(["stream", "kinesis://\(stream)", "--start", "trim-horizon", "--db", db,
                                                 "--status-interval", "0", "--poll-interval", "0.2"], environment: moto.environment)
            let deadline = Date(timeIntervalSinceNow: 30)
            while storedEvents(db) < events && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
            let ending = p.stop()
            XCTAssertEqual(ending.status, 0, ending.stderr)
            return ending.stderr
        }
        let first = (0..<30).map { i in (ms: day0 + Int64(i) * 1_000, line: eventLine(session: "a\(i % 3)", at: day0 + Int64(i) * 1_000)) }
        try StreamTests.put(kinesis, stream, first[...], batch: 30)
        _ = try consume(until: 30)

        _ = try Boto3.run("""
            k = client("kinesis"); k.delete_stream(StreamName=args["s"])
            k.create_stream(StreamName=args["s"], ShardCount=1)
            print("null")
            """, args: ["s": stream], environment: moto.environment)
        let second = (0..<20).map { i in (ms: day0 + Int64(i) * 1_000, line: eventLine(session: "b\(i % 4)", at: day0 + Int64(i) * 1_000)) }
        try StreamTests.put(kinesis, stream, second[...], batch: 20)
        let stderr = try consume(until: 50)
        XCTAssertTrue(stderr.contains("warn: stream \(stream) was re-created"), stderr)
        XCTAssertTrue(stderr.contains("its old checkpoints are dropped and every shard starts from --start (trim-horizon)"), stderr)
        XCTAssertEqual(try rows(db, "SELECT sum(event_count) FROM session_metrics"), [[.integer(50)]])
    }
}

/// The stream's status line says, per shard, how much it reads and how often it is throttled.
final class StreamStatusReadsTests: XCTestCase {
    func testStatusLinesCarryPerShardReads() throws {
        let moto = MotoServer.shared
        let kinesis = KinesisClient(transport: try AWSTransport(config: AWSConfig.resolve(environment: moto.environment)))
        let stream = "reads-\(UInt32.random(in: 0...UInt32.max))"
        try kinesis.createStream(stream, shardCount: 2)
        let events = (0..<40).map { i in (ms: day0 + Int64(i) * 1_000, line: eventLine(session: "s\(i % 8)", at: day0 + Int64(i) * 1_000)) }
        try StreamTests.put(kinesis, stream, events[...], batch: 40)
        let dir = try TemporaryDirectory()
        let p = try ClickstreamBinary.start(["stream", "kinesis://\(stream)", "--start", "trim-horizon", "--db", dir.url("live.sqlite"),
                                             "--status-interval", "1", "--log-format", "json"], environment: moto.environment)
        Thread.sleep(forTimeInterval: 3.5)
        let lines = p.stop().stderr.split(separator: "\n")
        let status = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            .filter { $0["event"] as? String == "stream_status" }
        let reads = try XCTUnwrap(status.last?["shard_reads"] as? [String: [String: Int]], "\(lines)")
        XCTAssertEqual(reads.keys.sorted(), ["shardId-000000000000", "shardId-000000000001"])
        XCTAssertEqual(reads.values.map { $0["records"]! }.reduce(0, +), 40)
        XCTAssertEqual(reads.values.map { $0["throttles"]! }.reduce(0, +), 0)
        XCTAssertTrue(reads.values.allSatisfy { $0["calls"]! >= 1 && $0["bytes"]! > 0 || $0["records"]! == 0 })
        XCTAssertTrue((status.last?["msg"] as? String)?.contains("GetRecords") == true)
    }
}
