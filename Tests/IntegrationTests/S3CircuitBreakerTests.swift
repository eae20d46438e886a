import AWSClient
import ClickstreamCore
import ClickstreamTestSupport
import Foundation
import Synchronization
import XCTest

/// A new bucket on moto holding `count` one-event objects under `events/`, hour 5 of day0, one session per
/// `sessions` objects in turn.
func oneEventObjects(_ prefix: String, count: Int, sessions: Int) throws -> String {
    let s3 = S3Client(transport: try AWSTransport(config: AWSConfig.resolve(environment: MotoServer.shared.environment)))
    let bucket = "\(prefix)-\(UInt32.random(in: 0...UInt32.max))"
    try s3.createBucket(bucket)
    for i in 0..<count {
        let at = day0 + 5 * hourMs + Int64(i) * 1_000
        try s3.putObject(bucket: bucket, key: "events/year=2025/month=7/day=3/hour=5/e\(i).json",
                         body: Array(eventLine(session: "s\(i % sessions)", at: at).utf8))
    }
    return bucket
}

/// A GetObject that fails for every object (after its retries) ends the replay with one error, without asking
/// the broken endpoint for every remaining object first.
final class S3CircuitBreakerTests: XCTestCase {
    func testAPermanentlyFailingGetObjectStopsTheRunEarly() throws {
        let moto = MotoServer.shared
        let bucket = try oneEventObjects("breaker", count: 300, sessions: 20)
        let gets = Mutex(0)
        let proxy = try FaultInjectingProxy(upstream: moto.endpoint) { request, _ in
            // ListObjectsV2 goes through; every GET of an object answers 500.
            guard request.method == "GET", !request.target.contains("list-type=2") else { return .forward }
            gets.withLock { $0 += 1 }
            return .respond(StubHTTPServer.Response(status: 500, headers: [("Content-Type", "application/xml")],
                                                    body: Array("<Error><Code>InternalError</Code><Message>injected</Message></Error>".utf8)))
        }
        defer { proxy.stop() }
        let dir = try TemporaryDirectory()
        let r = try ClickstreamBinary.run(["replay", "s3://\(bucket)/events", "--from", "2025-07-03", "--to", "2025-07-04",
                                           "--concurrency", "4", "--db", "c.sqlite"], in: dir.path,
                                          environment: moto.environment.merging(["AWS_ENDPOINT_URL": proxy.endpoint]) { $1 })
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("s3 GetObject on bucket \(bucket) key events/year=2025/month=7/day=3/hour=5/e"), r.stderr)
        XCTAssertTrue(r.stderr.contains("HTTP 500 InternalError"), r.stderr)
        // Retries are bounded by the transport's retry quota (500 tokens, 5 a retry: 100 retries) and no new object
        // is asked for once one has failed for good: fewer GETs than there are objects, not 300 objects × 8 attempts.
        XCTAssertLessThanOrEqual(gets.withLock { $0 }, 100 + 4 * 2, "GETs sent")
    }
}

/// A body cut short on the way (no Content-Length to tell) is not parsed as truncated JSON: the listing's size
/// says it is short; one unreadable row, and the object is read again by the next run.
final class S3ShortBodyTests: XCTestCase {
    func testAShortBodyIsUnreadableAndReadAgainNextRun() throws {
        let moto = MotoServer.shared
        let bucket = try oneEventObjects("short", count: 5, sessions: 5)
        let cut = Mutex(true)
        let proxy = try FaultInjectingProxy(upstream: moto.endpoint) { request, _ in
            guard request.method == "GET", request.target.hasSuffix("/e3.json"), cut.withLock({ $0 }) else { return .forward }
            return .rewrite { response in
                var r = response
                r.body = Array(r.body.prefix(r.body.count / 2))
                return r
            }
        }
        defer { proxy.stop() }
        let dir = try TemporaryDirectory()
        let env = moto.environment.merging(["AWS_ENDPOINT_URL": proxy.endpoint]) { $1 }
        let args = ["replay", "s3://\(bucket)/events", "--from", "2025-07-03", "--to", "2025-07-04", "--db", "c.sqlite"]
        let r = try ClickstreamBinary.run(args, in: dir.path, environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows1 = try rows(dir.url("c.sqlite"), "SELECT reason, message FROM quarantine")
        XCTAssertEqual(rows1.count, 1)
        XCTAssertEqual(rows1.first?.first, .text("unreadable"))
        XCTAssertTrue(rows1.first?.last?.description.hasPrefix("short body: ") == true, "\(rows1)")
        XCTAssertEqual(try rows(dir.url("c.sqlite"), "SELECT sum(event_count) FROM session_metrics"), [[.integer(4)]])
        // The next run reads it whole (it was not recorded as read) and skips the four others as unchanged.
        cut.withLock { $0 = false }
        let again = try ClickstreamBinary.run(args, in: dir.path, environment: env)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("(4 unchanged objects skipped)"), again.stdout)
        XCTAssertEqual(try rows(dir.url("c.sqlite"), "SELECT sum(event_count) FROM session_metrics"), [[.integer(5)]])
    }
}
