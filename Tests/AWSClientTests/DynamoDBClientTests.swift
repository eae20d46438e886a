@testable import AWSClient
import ClickstreamTestSupport
import Foundation
import Synchronization
import XCTest

final class DynamoDBClientTests: XCTestCase {
    func makeClient(endpoint: String? = nil) throws -> DynamoDBClient {
        var environment = MotoServer.shared.environment
        if let endpoint { environment["AWS_ENDPOINT_URL_DYNAMODB"] = endpoint }
        let config = try AWSConfig.resolve(environment: environment)
        return DynamoDBClient(transport: try AWSTransport(config: config, retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.01)))
    }

    func pageMetric(_ url: String, _ hour: String, _ count: Int) -> DynamoDBItem {
        ["page_url": .s(url), "timestamp_hour": .s(hour), "view_count": .n(String(count)), "last_updated": .n("1751518800")]
    }

    func testTableBatchWriteGetQueryScan() throws {
        let ddb = try makeClient()
        let table = "t\(UInt32.random(in: 0...UInt32.max))-page-metrics"
        try ddb.createTable(table, key: [
            DynamoDBKeySchemaElement(attributeName: "timestamp_hour", keyType: "RANGE", attributeType: "S"),
            DynamoDBKeySchemaElement(attributeName: "page_url", keyType: "HASH", attributeType: "S"),
        ])
        let description = try ddb.describeTable(table)
        XCTAssertEqual(description.tableName, table)
        XCTAssertEqual(description.tableStatus, "ACTIVE")
        XCTAssertEqual(description.keySchema, [
            DynamoDBKeySchemaElement(attributeName: "page_url", keyType: "HASH", attributeType: "S"),
            DynamoDBKeySchemaElement(attributeName: "timestamp_hour", keyType: "RANGE", attributeType: "S"),
        ])

        let items = (0..<30).map { pageMetric("/home", String(format: "2025-07-03T%02d", $0 % 24) + ($0 >= 24 ? "x" : ""), $0) }
            + [pageMetric("/checkout", "2025-07-03T05", 7)]
        XCTAssertEqual(try ddb.batchWriteAll(table: table, items.map { .put($0) }), 0)
        XCTAssertThrowsError(try ddb.batchWriteItem([table: Array(repeating: .put(items[0]), count: 26)])) { error in
            XCTAssertEqual("\(error)", "dynamodb BatchWriteItem on table \(table) failed after 0 attempts: a batch holds at most 25 requests, got 26")
        }

        let got = try ddb.batchGetItem([table: [
            ["page_url": .s("/checkout"), "timestamp_hour": .s("2025-07-03T05")],
            ["page_url": .s("/home"), "timestamp_hour": .s("2025-07-03T01")],
            ["page_url": .s("/nope"), "timestamp_hour": .s("2025-07-03T01")],
        ]])
        XCTAssertEqual(got.unprocessedKeys, [:])
        XCTAssertEqual(got.items.count, 1)
        XCTAssertEqual(got.items[table]?.count, 2)
        XCTAssertTrue(got.items[table]!.contains(pageMetric("/home", "2025-07-03T01", 1)))
        XCTAssertTrue(got.items[table]!.contains(pageMetric("/checkout", "2025-07-03T05", 7)))

        var hours: [String] = []
        var startKey: DynamoDBItem? = nil
        var pages = 0
        repeat {
            let page = try ddb.query(table, keyConditionExpression: "page_url = :p AND begins_with(#h, :d)",
                                     expressionAttributeValues: [":p": .s("/home"), ":d": .s("2025-07-03T0")],
                                     expressionAttributeNames: ["#h": "timestamp_hour"], exclusiveStartKey: startKey, limit: 4)
            hours += page.items.compactMap { if case let .s(h)? = $0["timestamp_hour"] { return h } else { return nil } }
            startKey = page.lastEvaluatedKey
            pages += 1
        } while startKey != nil
        XCTAssertEqual(hours, [
            "2025-07-03T00", "2025-07-03T00x", "2025-07-03T01", "2025-07-03T01x", "2025-07-03T02", "2025-07-03T02x",
            "2025-07-03T03", "2025-07-03T03x", "2025-07-03T04", "2025-07-03T04x", "2025-07-03T05", "2025-07-03T05x",
            "2025-07-03T06", "2025-07-03T07", "2025-07-03T08", "2025-07-03T09",
        ])
        XCTAssertGreaterThanOrEqual(pages, 4)
        XCTAssertEqual(try ddb.scan(table).items.count, 31)
    }

    func testAttributeValueRoundTrip() {
        let value: DynamoDBAttributeValue = .m(["a": .l([.s("x"), .n("1.5"), .bool(true), .null, .b([0, 255])]),
                                               "ss": .ss(["p", "q"]), "ns": .ns(["1"]), "bs": .bs([[1]])])
        XCTAssertEqual(DynamoDBAttributeValue(json: value.json), value)
    }

    /// moto never returns UnprocessedItems, so a stub answers the first BatchWriteItem with one left over.
    func testUnprocessedItemsAreResent() throws {
        let leftover = #"{"UnprocessedItems":{"t":[{"PutRequest":{"Item":{"page_url":{"S":"/a"},"timestamp_hour":{"S":"h"}}}}]}}"#
        let bodies = LockedList()
        let server = try StubHTTPServer { request in
            let n = bodies.append(String(decoding: request.body, as: UTF8.self))
            return .init(status: 200, headers: [("Content-Type", "application/x-amz-json-1.0")],
                         body: Array((n == 1 ? leftover : #"{"UnprocessedItems":{}}"#).utf8))
        }
        defer { server.stop() }
        let ddb = try makeClient(endpoint: server.endpoint)
        let resends = try ddb.batchWriteAll(table: "t", [.put(["page_url": .s("/a"), "timestamp_hour": .s("h")]),
                                                          .put(["page_url": .s("/b"), "timestamp_hour": .s("h")])])
        XCTAssertEqual(resends, 1)
        XCTAssertEqual(ddb.transport.counters.retries, 1)
        XCTAssertEqual(ddb.transport.counters.throttles, 1)
        let second = try JSONSerialization.jsonObject(with: Data(bodies.items[1].utf8)) as! [String: Any]
        let resent = ((second["RequestItems"] as! [String: Any])["t"] as! [[String: Any]])
        XCTAssertEqual(resent.count, 1)
        XCTAssertEqual(DynamoDBWriteRequest(json: resent[0]), .put(["page_url": .s("/a"), "timestamp_hour": .s("h")]))
    }
}
