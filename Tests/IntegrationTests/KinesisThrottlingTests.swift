import AWSClient
import ClickstreamCore
import ClickstreamTestSupport
import Foundation
import Synchronization
import XCTest

/// A window replay under throttling, through a proxy in front of moto that throttles GetRecords: weather is
/// waited out and the tables equal a clean run; throttling without end fails naming the shard and changes nothing.
final class KinesisThrottlingTests: XCTestCase {
    var moto: MotoServer { MotoServer.shared }

    func testThrottledReadsAreWaitedOutAndThePaceHolds() throws {
        let dir = try TemporaryDirectory()
        let kinesis = KinesisClient(transport: try AWSTransport(config: AWSConfig.resolve(environment: moto.environment)))
        let stream = "throttled-\(UInt32.random(in: 0...UInt32.max))"
        try kinesis.createStream(stream, shardCount: 2)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let events = (0..<600).map { i in
            let at = now - 20 * 60_000 + Int64(i) * 1_000
            return (ms: at, line: eventLine(["page_view", "click"][i % 2], session: "s\(i % 70)", at: at, page: "/p\(i % 9)"))
        }
        try StreamTests.put(kinesis, stream, events[...], batch: 100)
        try events.map(\.line).joined(separator: "\n").write(toFile: dir.url("events.ndjson"), atomically: true, encoding: .utf8)
        let from = Timestamp.instant(now - 3_600_000), to = Timestamp.instant(now + 60_000)
        let clean = try ClickstreamBinary.run(["replay", "events.ndjson", "--from", from, "--to", to, "--db", "clean.sqlite"], in: dir.path)
        XCTAssertEqual(clean.status, 0, clean.stderr)

        // GetRecords: a burst of 8 throttled calls in a row, then 3 in 10.
        let calls = Mutex<[Date]>([])
        let proxy = try FaultInjectingProxy(upstream: moto.endpoint) { request, _ in
            guard request.headers["x-amz-target"]?.hasSuffix(".GetRecords") == true else { return .forward }
            let n = calls.withLock { c in
                c.append(Date())
                return c.count
            }
            if (3...10).contains(n) || [1, 4, 7].contains(n % 10) {
                return .respond(FaultInjectingProxy.throttle())
            }
            return .forward
        }
        defer { proxy.stop() }
        let env = moto.environment.merging(["AWS_ENDPOINT_URL": proxy.endpoint]) { $1 }
        let r = try ClickstreamBinary.run(["replay", "kinesis://\(stream)", "--from", from, "--to", to, "--db", "k.sqlite",
                                           "--max-read-fraction", "0.5", "--log-format", "json"], in: dir.path, environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try contractTables(dir.url("k.sqlite")), try contractTables(dir.url("clean.sqlite")))
        let shardLines = try r.stderr.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            .filter { $0["event"] as? String == "shard_read" }
        XCTAssertEqual(shardLines.count, 2, r.stderr)
        XCTAssertGreaterThan(shardLines.map { $0["throttles"] as! Int }.reduce(0, +), 0, r.stderr)
        // Half a shard's read limit: 2.5 GetRecords/s per shard, 5/s for both; no second holds more than 6 calls.
        let times = calls.withLock { $0 }
        for (i, t) in times.enumerated() {
            let inSecond = times[i...].prefix { $0.timeIntervalSince(t) < 1 }.count
            XCTAssertLessThanOrEqual(inSecond, 6, "calls in the second from call \(i)")
        }

        // Throttled without end: the run fails naming the shard, within the bound, and commits nothing.
        let before = try contractTables(dir.url("k.sqlite"))
        let always = try FaultInjectingProxy(upstream: moto.endpoint) { request, _ in
            request.headers["x-amz-target"]?.hasSuffix(".GetRecords") == true ? .respond(FaultInjectingProxy.throttle()) : .forward
        }
        defer { always.stop() }
        let started = Date()
        let failed = try ClickstreamBinary.run(["replay", "kinesis://\(stream)", "--from", from, "--to", to, "--db", "k.sqlite", "--rebuild",
                                                "--max-throttle-wait", "3"], in: dir.path,
                                               environment: moto.environment.merging(["AWS_ENDPOINT_URL": always.endpoint]) { $1 })
        XCTAssertEqual(failed.status, 1, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("kinesis://\(stream)/shardId-00000000000"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("still throttled after"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("(--max-throttle-wait 3 s): ProvisionedThroughputExceededException"), failed.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
        XCTAssertEqual(try contractTables(dir.url("k.sqlite")), before, "the rebuild was rolled back")
        XCTAssertEqual(try rows(dir.url("k.sqlite"), "SELECT status FROM runs ORDER BY run_id DESC LIMIT 1"), [[.text("failed")]])
    }
}
