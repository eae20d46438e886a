import CurlHTTP
@testable import AWSClient
import ClickstreamTestSupport
import Foundation
import XCTest

/// Retries through a fault-injecting loopback server that fails N times, then forwards to moto (or answers itself).
final class RetryPolicyTests: XCTestCase {
    let fast = RetryPolicy(maxAttempts: 8, baseDelay: 0.001, maxDelay: 0.005)

    /// Fails the first `failures` requests with `failure`, forwards the rest to moto.
    func makeProxy(failures: Int, failure: StubHTTPServer.Response) throws -> StubHTTPServer {
        let forwarder = try HTTPClient()
        let count = LockedList()
        let moto = MotoServer.shared.endpoint
        return try StubHTTPServer { request in
            if count.append(request.target) <= failures { return failure }
            let headers = request.headers.filter { !["host", "content-length", "connection"].contains($0.key) }.map { HTTPHeader($0.key, $0.value) }
            let forwarded = HTTPRequest(method: request.method, url: moto + request.target, headers: headers, body: request.body)
            guard let response = try? forwarder.send(forwarded).get() else { return .init(status: 502) }
            return .init(status: response.status, headers: response.headers.filter { $0.key != "content-length" && $0.key != "transfer-encoding" }.map { ($0.key, $0.value) }, body: response.body)
        }
    }

    func environment(_ endpoint: String) -> [String: String] {
        var environment = MotoServer.shared.environment
        environment["AWS_ENDPOINT_URL"] = endpoint
        return environment
    }

    static let throttled = StubHTTPServer.Response(
        status: 400, headers: [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", "ProvisionedThroughputExceededException:")],
        body: Array(#"{"__type":"ProvisionedThroughputExceededException","message":"Rate exceeded"}"#.utf8))

    func testKinesisThrottlingRetriedThenSucceeds() throws {
        let motoKinesis = KinesisClient(transport: try AWSTransport(config: AWSConfig.resolve(environment: MotoServer.shared.environment)))
        let stream = "retry-\(UInt32.random(in: 0...UInt32.max))"
        try motoKinesis.createStream(stream, shardCount: 1)
        try motoKinesis.putRecord(stream: stream, KinesisPutRecordsEntry(data: Array("{}".utf8), partitionKey: "p"))
        let iterator = try motoKinesis.getShardIterator(stream: stream, shardId: "shardId-000000000000", type: .trimHorizon)

        let proxy = try makeProxy(failures: 3, failure: Self.throttled)
        defer { proxy.stop() }
        let kinesis = KinesisClient(transport: try AWSTransport(config: AWSConfig.resolve(environment: environment(proxy.endpoint)), retryPolicy: fast))
        let out = try kinesis.getRecords(iterator: iterator, stream: stream, shardId: "shardId-000000000000")
        XCTAssertEqual(out.records.map(\.data), [Array("{}".utf8)])
        XCTAssertEqual(proxy.requestCount, 4)
        XCTAssertEqual(kinesis.transport.counters.retries, 3)
        XCTAssertEqual(kinesis.transport.counters.throttles, 3)
        XCTAssertEqual(kinesis.transport.counters.attempts, 4)
    }

    func testKinesisThrottlingExhaustsAttempts() throws {
        let proxy = try makeProxy(failures: .max, failure: Self.throttled)
        defer { proxy.stop() }
        let kinesis = KinesisClient(transport: try AWSTransport(config: AWSConfig.resolve(environment: environment(proxy.endpoint)), retryPolicy: fast))
        XCTAssertThrowsError(try kinesis.getRecords(iterator: "AAAA", stream: "clicks", shardId: "shardId-000000000001")) { error in
            XCTAssertEqual("\(error)", "kinesis GetRecords on stream clicks shard shardId-000000000001 failed after 8 attempts: HTTP 400 ProvisionedThroughputExceededException: Rate exceeded")
            XCTAssertEqual((error as? AWSError)?.isThrottling, true)
        }
        XCTAssertEqual(proxy.requestCount, 8)
        XCTAssertEqual(kinesis.transport.counters.retries, 7)
        XCTAssertEqual(kinesis.transport.counters.throttles, 8)
    }

    func testS3SlowDownRetriedWithManyInFlight() throws {
        let motoS3 = S3Client(transport: try AWSTransport(config: AWSConfig.resolve(environment: MotoServer.shared.environment)))
        let bucket = "retry-\(UInt32.random(in: 0...UInt32.max))"
        try motoS3.createBucket(bucket)
        let keys = (0..<20).map { "k=\($0)/v w.json" }
        for key in keys { try motoS3.putObject(bucket: bucket, key: key, body: Array(key.utf8)) }

        let slowDown = StubHTTPServer.Response(status: 503, headers: [("Content-Type", "application/xml")], body: Array(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>".utf8))
        let proxy = try makeProxy(failures: 10, failure: slowDown)
        defer { proxy.stop() }
        let s3 = S3Client(transport: try AWSTransport(config: AWSConfig.resolve(environment: environment(proxy.endpoint)), retryPolicy: fast))
        var bodies: [String: String] = [:]
        try s3.getObjects(keys.map { (bucket, $0) }, concurrency: 6) { index, result in
            bodies[keys[index]] = (try? result.get()).map { String(decoding: $0.body, as: UTF8.self) } ?? "\(result)"
        }
        XCTAssertEqual(bodies, Dictionary(uniqueKeysWithValues: keys.map { ($0, $0) }))
        XCTAssertEqual(proxy.requestCount, 30)
        XCTAssertEqual(s3.transport.counters.retries, 10)
        XCTAssertEqual(s3.transport.counters.throttles, 10)
    }

    func testServerErrorsAndNonRetryableErrors() throws {
        let server = try StubHTTPServer { request in
            if request.target.hasPrefix("/bucket/fatal") {
                return .init(status: 403, body: Array("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>".utf8))
            }
            return .init(status: 500, body: Array("<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>".utf8))
        }
        defer { server.stop() }
        let s3 = S3Client(transport: try AWSTransport(config: AWSConfig.resolve(environment: environment(server.endpoint)),
                                                      retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.002)))
        XCTAssertThrowsError(try s3.getObject(bucket: "bucket", key: "a/b.json")) { error in
            XCTAssertEqual("\(error)", "s3 GetObject on bucket bucket key a/b.json failed after 3 attempts: HTTP 500 InternalError: We encountered an internal error. Please try again.")
        }
        XCTAssertThrowsError(try s3.getObject(bucket: "bucket", key: "fatal.json")) { error in
            XCTAssertEqual("\(error)", "s3 GetObject on bucket bucket key fatal.json failed after 1 attempt: HTTP 403 AccessDenied: Access Denied")
        }
        XCTAssertEqual(server.requestCount, 4)
        XCTAssertEqual(s3.transport.counters.retries, 2)
        XCTAssertEqual(s3.transport.counters.throttles, 0)
    }

    func testConnectionRefusedNamesEndpoint() throws {
        let port = LoopbackPort.free()
        let s3 = S3Client(transport: try AWSTransport(config: AWSConfig.resolve(environment: environment("http://127.0.0.1:\(port)")),
                                                      retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.002)))
        XCTAssertThrowsError(try s3.getObject(bucket: "b", key: "k.json")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("s3 GetObject on bucket b key k.json failed after 3 attempts: could not connect to http://127.0.0.1:\(port)/b/k.json: "), text)
            XCTAssertTrue(text.contains("Couldn't connect to server") || text.contains("Connection refused"), text)
            XCTAssertNil((error as? AWSError)?.httpStatus)
        }
        XCTAssertEqual(s3.transport.counters.transportErrors, 3)
        XCTAssertEqual(s3.transport.counters.retries, 2)
    }

    func testClassificationAndBackoffBounds() {
        XCTAssertEqual(RetryPolicy.classify(status: 400, code: "ProvisionedThroughputExceededException"), .throttled)
        XCTAssertEqual(RetryPolicy.classify(status: 400, code: "ThrottlingException"), .throttled)
        XCTAssertEqual(RetryPolicy.classify(status: 400, code: "LimitExceededException"), .throttled)
        XCTAssertEqual(RetryPolicy.classify(status: 503, code: "RequestLimitExceeded"), .throttled)
        XCTAssertEqual(RetryPolicy.classify(status: 503, code: "SlowDown"), .throttled)
        XCTAssertEqual(RetryPolicy.classify(status: 429, code: nil), .throttled)
        XCTAssertEqual(RetryPolicy.classify(status: 502, code: nil), .transient)
        XCTAssertEqual(RetryPolicy.classify(status: 400, code: "ValidationException"), .fatal)
        XCTAssertEqual(RetryPolicy.classify(status: 404, code: "NoSuchKey"), .fatal)
        // The standard mode's other codes.
        for code in ["BandwidthLimitExceeded", "TransactionInProgressException", "PriorRequestNotComplete", "EC2ThrottledException"] {
            XCTAssertEqual(RetryPolicy.classify(status: 400, code: code), .throttled, code)
        }
        for code in ["RequestTimeout", "RequestTimeoutException", "InternalError", "IDPCommunicationError"] {
            XCTAssertEqual(RetryPolicy.classify(status: 400, code: code), .transient, code)
        }
        for status in [500, 502, 503, 504] { XCTAssertEqual(RetryPolicy.classify(status: status, code: nil), .transient) }

        let policy = RetryPolicy()
        XCTAssertEqual(policy, RetryPolicy(maxAttempts: 8, baseDelay: 0.1, maxDelay: 20))
        for retry in 1...10 {
            let ceiling = min(20, 0.1 * pow(2, Double(retry - 1)))
            for _ in 0..<200 {
                let d = policy.delay(beforeRetry: retry)
                XCTAssertGreaterThanOrEqual(d, 0)
                XCTAssertLessThanOrEqual(d, ceiling)
            }
        }
        // Full jitter: the mean of many draws is about half the ceiling.
        let mean = (0..<2000).map { _ in policy.delay(beforeRetry: 4) }.reduce(0, +) / 2000
        XCTAssertEqual(mean, 0.4, accuracy: 0.05)
    }

    /// The retry quota: an endpoint that fails everything stops getting retries once the bucket is spent, and
    /// successes refill it.
    func testRetryQuotaStopsRetriesAgainstABrokenEndpoint() throws {
        let server = try StubHTTPServer { _ in .init(status: 500, body: Array("<Error><Code>InternalError</Code><Message>down</Message></Error>".utf8)) }
        defer { server.stop() }
        let quota = RetryQuota(capacity: 20)
        let config = AWSConfig(credentials: AWSCredentials(accessKeyId: "a", secretAccessKey: "b"), region: "us-east-1", customEndpoints: [.s3: server.endpoint])
        let s3 = S3Client(transport: try AWSTransport(config: config, retryPolicy: fast, retryQuota: quota))
        // 20 tokens pay for 4 retries at 5 each: the first call gets 4, the second none.
        XCTAssertThrowsError(try s3.getObject(bucket: "b", key: "1")) { XCTAssertTrue("\($0)".contains("failed after 5 attempts: HTTP 500 InternalError: down"), "\($0)") }
        XCTAssertThrowsError(try s3.getObject(bucket: "b", key: "2")) { XCTAssertTrue("\($0)".contains("failed after 1 attempt: HTTP 500 InternalError: down"), "\($0)") }
        XCTAssertEqual(quota.available, 0)
        XCTAssertEqual(server.requestCount, 6)
        quota.succeeded(spent: 0)
        XCTAssertEqual(quota.available, 1)
    }

    func testErrorCodeParsing() {
        func parse(_ status: Int, _ headers: [String: String], _ body: String) -> String {
            let d = AWSError.details(of: HTTPResponse(status: status, headers: headers, body: Array(body.utf8)))
            return "\(d.code ?? "nil")|\(d.message)"
        }
        XCTAssertEqual(parse(400, [:], #"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}"#),
                       "ResourceNotFoundException|Requested resource not found")
        XCTAssertEqual(parse(400, [:], #"{"__type":"ThrottlingException","Message":"slow"}"#), "ThrottlingException|slow")
        XCTAssertEqual(parse(400, ["x-amzn-errortype": "ExpiredIteratorException:http://internal.amazon.com/"], ""), "ExpiredIteratorException|")
        XCTAssertEqual(parse(404, [:], "<Error><Code>NoSuchKey</Code><Message>a &amp; b</Message></Error>"), "NoSuchKey|a & b")
        XCTAssertEqual(parse(503, [:], ""), "SlowDown|")
    }
}
