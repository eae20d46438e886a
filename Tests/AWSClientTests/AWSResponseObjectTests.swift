@testable import AWSClient
import ClickstreamTestSupport
import Foundation
import XCTest

/// A response that lacks a field its operation promises is an error naming service, operation, resource and field,
/// never an empty string; fields that are optional by design stay optional. A stub plays AWS.
final class AWSResponseObjectTests: XCTestCase {
    /// A transport whose every service is the stub answering `body` (with `headers`) to any request.
    func transport(_ body: String, headers: [(String, String)] = []) throws -> (AWSTransport, StubHTTPServer) {
        let server = try StubHTTPServer { _ in .init(status: 200, headers: headers, body: Array(body.utf8)) }
        let endpoints = Dictionary(uniqueKeysWithValues: AWSService.allCases.map { ($0, server.endpoint) })
        let config = AWSConfig(credentials: AWSCredentials(accessKeyId: "testing", secretAccessKey: "testing"), region: "us-east-1",
                               customEndpoints: endpoints)
        return (try AWSTransport(config: config, retryPolicy: RetryPolicy(maxAttempts: 1)), server)
    }

    func assertError(_ body: @autoclosure () throws -> some Any, _ message: String, line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { error in
            XCTAssertEqual("\(error)", message, line: line)
            XCTAssertEqual((error as? AWSError)?.code, "InvalidResponse", line: line)
        }
    }

    func testKinesisPutRecordWithoutSequenceNumber() throws {
        let (t, server) = try transport(#"{"ShardId":"shardId-000000000000"}"#)
        defer { server.stop() }
        assertError(try KinesisClient(transport: t).putRecord(stream: "s", KinesisPutRecordsEntry(data: [1], partitionKey: "p")),
                    "kinesis PutRecord on stream s failed after 1 attempt: HTTP 200 InvalidResponse: no SequenceNumber in response")
    }

    func testKinesisListShardsWithAShardWithoutShardId() throws {
        let shard = #"{"HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"9"},"SequenceNumberRange":{"StartingSequenceNumber":"1"}"#
        let (t, server) = try transport(#"{"Shards":[\#(shard),"ShardId":"shardId-0"},\#(shard)}]}"#)
        defer { server.stop() }
        assertError(try KinesisClient(transport: t).listShards("s"),
                    "kinesis ListShards on stream s failed after 1 attempt: HTTP 200 InvalidResponse: no Shards[1].ShardId in response")
    }

    func testKinesisGetRecordsRecordWithoutSequenceNumberButNextIteratorIsOptional() throws {
        let record = #"{"Data":"e30=","PartitionKey":"p","ApproximateArrivalTimestamp":1.5}"#
        let (bad, server) = try transport(#"{"Records":[\#(record)],"NextShardIterator":"it-2"}"#)
        defer { server.stop() }
        assertError(try KinesisClient(transport: bad).getRecords(iterator: "it-1", stream: "s", shardId: "shardId-1"),
                    "kinesis GetRecords on stream s shard shardId-1 failed after 1 attempt: HTTP 200 InvalidResponse: "
                    + "no Records[0].SequenceNumber in response")

        // A closed shard read to its end: no NextShardIterator, no MillisBehindLatest, no ChildShards (outside AWS).
        let (end, endServer) = try transport(#"{"Records":[]}"#)
        defer { endServer.stop() }
        let out = try KinesisClient(transport: end).getRecords(iterator: "it-1", stream: "s", shardId: "shardId-1")
        XCTAssertEqual(out, KinesisGetRecordsOutput(records: [], nextShardIterator: nil, millisBehindLatest: nil, childShards: []))
    }

    func testS3ListingWithoutETag() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><Prefix>p/</Prefix><IsTruncated>false</IsTruncated>\
            <Contents><Key>p/a.json</Key><ETag>&quot;1&quot;</ETag><Size>3</Size></Contents>\
            <Contents><Key>p/b.json</Key><Size>4</Size></Contents></ListBucketResult>
            """
        let (t, server) = try transport(xml)
        defer { server.stop() }
        assertError(try S3Client(transport: t).listObjectsV2(bucket: "b", prefix: "p/"),
                    "s3 ListObjectsV2 on bucket b prefix p/ failed after 1 attempt: HTTP 200 InvalidResponse: no Contents[1].ETag in response")
    }

    func testS3TruncatedListingWithoutContinuationToken() throws {
        let (t, server) = try transport("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>")
        defer { server.stop() }
        assertError(try S3Client(transport: t).listAllObjects(bucket: "b", prefix: "p/"),
                    "s3 ListObjectsV2 on bucket b prefix p/ failed after 1 attempt: HTTP 200 InvalidResponse: "
                    + "IsTruncated is true but no NextContinuationToken in response")
    }

    func testS3GetObjectWithoutETag() throws {
        let (t, server) = try transport("{}")
        defer { server.stop() }
        assertError(try S3Client(transport: t).getObject(bucket: "b", key: "k.json"),
                    "s3 GetObject on bucket b key k.json failed after 1 attempt: HTTP 200 InvalidResponse: no ETag header in response")
        let (tagged, taggedServer) = try transport("{}", headers: [("ETag", "\"e\"")])
        defer { taggedServer.stop() }
        XCTAssertEqual(try S3Client(transport: tagged).getObject(bucket: "b", key: "k.json").etag, "\"e\"")
    }

    func testDynamoDBDescribeTableWithoutStatusButItemCountIsOptional() throws {
        let key = #""KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}]"#
        let (bad, server) = try transport(#"{"Table":{"TableName":"t",\#(key)}}"#)
        defer { server.stop() }
        assertError(try DynamoDBClient(transport: bad).describeTable("t"),
                    "dynamodb DescribeTable on table t failed after 1 attempt: HTTP 200 InvalidResponse: no Table.TableStatus in response")

        let (good, goodServer) = try transport(#"{"Table":{"TableName":"t","TableStatus":"ACTIVE",\#(key)}}"#)
        defer { goodServer.stop() }
        XCTAssertEqual(try DynamoDBClient(transport: good).describeTable("t"), DynamoDBTableDescription(
            tableName: "t", tableStatus: "ACTIVE",
            keySchema: [DynamoDBKeySchemaElement(attributeName: "id", keyType: "HASH", attributeType: "S")], itemCount: 0))
    }

    func testDynamoDBQueryWithoutItems() throws {
        let (t, server) = try transport(#"{"Count":0}"#)
        defer { server.stop() }
        let ddb = DynamoDBClient(transport: t)
        assertError(try ddb.query("t", keyConditionExpression: "id = :v", expressionAttributeValues: [":v": .s("x")]),
                    "dynamodb Query on table t failed after 1 attempt: HTTP 200 InvalidResponse: no Items in response")
        assertError(try ddb.queryConcurrently(table: "t", queries: [("id = :v", [":v": .s("x")])], names: [:], concurrency: 2),
                    "dynamodb Query on table t failed after 1 attempt: HTTP 200 InvalidResponse: no Items in response")
    }
}
