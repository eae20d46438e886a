import AWSClient
import ClickstreamCore
import ClickstreamTestSupport
import Foundation
import Synchronization
import XCTest

/// A GetObject that fails for every object (after its retries) ends the replay with one error, without asking
/// the broken endpoint for every remaining object first.
final class S3CircuitBreakerTests: XCTestCase {
    func testAPermanentlyFailingGetObjectStopsTheRunEarly() throws {
        let moto = MotoServer.shared
        let s3 = S3Client(transport: try AWSTransport(config: AWSConfig.resolve(environment: moto.environment)))
        let bucket = "breaker-\(UInt32.random(in: 0...UInt32.max))"
        try s3.createBucket(bucket)
        for i in 0..<300 {
            let at = day0 + 5 * hourMs + Int64(i) * 1_000
            try s3.putObject(bucket: bucket, key: "events/year=2025/month=7/day=3/hour=5/e\(i).json",
                             body: Array(eventLine(session: "s\(i % 20)", at: at).utf8))
        }
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
