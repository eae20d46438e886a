import CurlHTTP
@testable import AWSClient
import ClickstreamTestSupport
import Foundation
import XCTest

final class KinesisClientTests: XCTestCase {
    func makeClient() throws -> KinesisClient {
        let config = try AWSConfig.resolve(environment: MotoServer.shared.environment)
        return KinesisClient(transport: try AWSTransport(config: config, retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: 0.001, maxDelay: 0.01)))
    }

    /// All records of one shard from an iterator, following NextShardIterator until an empty page.
    func drain(_ kinesis: KinesisClient, _ iterator: String) throws -> [KinesisRecord] {
        var records: [KinesisRecord] = []
        var iterator: String? = iterator
        while let current = iterator {
            let out = try kinesis.getRecords(iterator: current, limit: 2)
            records += out.records
            iterator = out.records.isEmpty ? nil : out.nextShardIterator
        }
        return records
    }

    func testStreamLifecycleIteratorsAndRecords() throws {
        let kinesis = try makeClient()
        let stream = "clicks-\(UInt32.random(in: 0...UInt32.max))"
        try kinesis.createStream(stream, shardCount: 3)
        let summary = try kinesis.describeStreamSummary(stream)
        XCTAssertEqual(summary.streamName, stream)
        XCTAssertEqual(summary.streamStatus, "ACTIVE")
        XCTAssertEqual(summary.openShardCount, 3)
        XCTAssertEqual(summary.streamARN, "arn:aws:kinesis:us-east-1:123456789012:stream/\(stream)")

        // MaxResults 1 forces NextToken pagination (moto needs StreamName with it; see KinesisClient).
        let shards = try kinesis.listShards(stream, maxResults: 1)
        XCTAssertEqual(shards.map(\.shardId), ["shardId-000000000000", "shardId-000000000001", "shardId-000000000002"])
        XCTAssertNil(shards[0].endingSequenceNumber)
        XCTAssertEqual(shards[0].startingHashKey, "0")

        // Everything to shard 0 via ExplicitHashKey, first batch with PutRecord, second with PutRecords.
        let first = try (0..<3).map { i in
            try kinesis.putRecord(stream: stream, KinesisPutRecordsEntry(data: Array("{\"n\":\(i)}".utf8), partitionKey: "s\(i)", explicitHashKey: "0"))
        }
        XCTAssertEqual(Set(first.map(\.shardId)), ["shardId-000000000000"])
        Thread.sleep(forTimeInterval: 0.3)
        let boundary = Date()
        Thread.sleep(forTimeInterval: 0.3)
        let gzip = HTTPClientTests.gzipBytes
        let results = try kinesis.putRecords(stream: stream, [
            KinesisPutRecordsEntry(data: Array("{\"n\":3}".utf8), partitionKey: "s3", explicitHashKey: "0"),
            KinesisPutRecordsEntry(data: gzip, partitionKey: "sess-é", explicitHashKey: "0"),
        ])
        XCTAssertEqual(results.map(\.shardId), ["shardId-000000000000", "shardId-000000000000"])
        XCTAssertEqual(results.map(\.errorCode), [nil, nil])

        let all = try drain(kinesis, kinesis.getShardIterator(stream: stream, shardId: "shardId-000000000000", type: .trimHorizon))
        XCTAssertEqual(all.map(\.partitionKey), ["s0", "s1", "s2", "s3", "sess-é"])
        XCTAssertEqual(all.map(\.sequenceNumber), first.map(\.sequenceNumber) + results.map { $0.sequenceNumber! })
        XCTAssertEqual(all[0].data, Array("{\"n\":0}".utf8))
        XCTAssertEqual(all[4].data, gzip)
        XCTAssertLessThan(all[2].approximateArrivalTimestamp, boundary.timeIntervalSince1970)
        XCTAssertGreaterThan(all[3].approximateArrivalTimestamp, boundary.timeIntervalSince1970)

        let afterBoundary = try drain(kinesis, kinesis.getShardIterator(stream: stream, shardId: "shardId-000000000000", type: .atTimestamp(boundary)))
        XCTAssertEqual(afterBoundary.map(\.partitionKey), ["s3", "sess-é"])
        let afterSecond = try drain(kinesis, kinesis.getShardIterator(stream: stream, shardId: "shardId-000000000000",
                                                                      type: .afterSequenceNumber(all[1].sequenceNumber)))
        XCTAssertEqual(afterSecond.map(\.partitionKey), ["s2", "s3", "sess-é"])
        let atSecond = try drain(kinesis, kinesis.getShardIterator(stream: stream, shardId: "shardId-000000000000",
                                                                   type: .atSequenceNumber(all[1].sequenceNumber)))
        XCTAssertEqual(atSecond.map(\.partitionKey), ["s1", "s2", "s3", "sess-é"])

        let latest = try kinesis.getShardIterator(stream: stream, shardId: "shardId-000000000000", type: .latest)
        let tip = try kinesis.getRecords(iterator: latest, stream: stream, shardId: "shardId-000000000000")
        XCTAssertEqual(tip.records, [])
        XCTAssertEqual(tip.millisBehindLatest, 0)
        XCTAssertNotNil(tip.nextShardIterator)
        XCTAssertEqual(tip.childShards, [])

        // Several shards at once.
        let iterators = try shards.map { try kinesis.getShardIterator(stream: stream, shardId: $0.shardId, type: .trimHorizon) }
        var counts = [Int](repeating: -1, count: 3)
        try kinesis.getRecords(zip(iterators, shards).map { ($0, stream, $1.shardId) }, concurrency: 3) { index, result in
            counts[index] = (try? result.get().records.count) ?? -1
        }
        XCTAssertEqual(counts, [5, 0, 0])
    }

    func testMissingStreamError() throws {
        let kinesis = try makeClient()
        XCTAssertThrowsError(try kinesis.getShardIterator(stream: "no-such-stream", shardId: "shardId-000000000000", type: .latest)) { error in
            let e = error as! AWSError
            XCTAssertEqual(e.httpStatus, 400)
            XCTAssertEqual(e.code, "ResourceNotFoundException")
            XCTAssertTrue("\(e)".hasPrefix("kinesis GetShardIterator on stream no-such-stream shard shardId-000000000000 failed after 1 attempt: HTTP 400 ResourceNotFoundException: "), "\(e)")
        }
    }
}

/// A stream addressed by ARN goes out as `StreamARN` (no `StreamName`), on every call that names the stream.
final class KinesisStreamARNTests: XCTestCase {
    func testStreamByARN() throws {
        let config = try AWSConfig.resolve(environment: MotoServer.shared.environment)
        let named = KinesisClient(transport: try AWSTransport(config: config, retryPolicy: RetryPolicy(maxAttempts: 1)))
        let stream = "central-\(UInt32.random(in: 0...UInt32.max))"
        try named.createStream(stream, shardCount: 1)
        let arn = try named.describeStreamSummary(stream).streamARN
        XCTAssertEqual(arn, "arn:aws:kinesis:us-east-1:123456789012:stream/\(stream)")

        let bodies = LockedList()
        let proxy = try StubHTTPServer { request in
            _ = bodies.append(String(decoding: request.body, as: UTF8.self))
            let forwarder = try! HTTPClient()
            let headers = request.headers.filter { !["host", "content-length", "connection"].contains($0.key) }.map { HTTPHeader($0.key, $0.value) }
            let response = try! forwarder.send(HTTPRequest(method: request.method, url: MotoServer.shared.endpoint + request.target, headers: headers, body: request.body)).get()
            return .init(status: response.status, headers: response.headers.filter { $0.key != "content-length" }.map { ($0.key, $0.value) }, body: response.body)
        }
        defer { proxy.stop() }
        var environment = MotoServer.shared.environment
        environment["AWS_ENDPOINT_URL"] = proxy.endpoint
        let kinesis = KinesisClient(transport: try AWSTransport(config: try AWSConfig.resolve(environment: environment), retryPolicy: RetryPolicy(maxAttempts: 1)))
        _ = try kinesis.putRecord(stream: arn, KinesisPutRecordsEntry(data: Array("{\"a\":1}".utf8), partitionKey: "p"))
        let shards = try kinesis.listShards(arn)
        XCTAssertEqual(shards.map(\.shardId), ["shardId-000000000000"])
        // moto hands out an iterator for a StreamARN request that its own GetRecords cannot resolve ("Stream None"),
        // so only the iterator call itself is checked here.
        XCTAssertFalse(try kinesis.getShardIterator(stream: arn, shardId: "shardId-000000000000", type: .trimHorizon).isEmpty)
        XCTAssertEqual(try kinesis.describeStreamSummary(arn).streamName, stream)
        for body in bodies.items where !body.contains("ShardIterator\"") {
            XCTAssertTrue(body.contains("\"StreamARN\":\"arn:aws:kinesis:us-east-1:123456789012:stream\\/\(stream)\""), body)
            XCTAssertFalse(body.contains("StreamName"), body)
        }
        XCTAssertEqual(bodies.items.count, 4)
    }
}
