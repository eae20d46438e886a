import AWSClient
import ClickstreamExport
import ClickstreamJobs
import ClickstreamPipeline
import ClickstreamRuns
import ClickstreamSamples
import ClickstreamTestSupport
import Foundation
import SourceKinesis
import SourceLocal
import SourceS3
import Synchronization
import XCTest

/// The `UnprocessedItems` path, which moto never takes: a fake DynamoDB on loopback answers DescribeTable with the
/// right key schemas and returns part of every BatchWriteItem as unprocessed.
final class DynamoDBExportUnprocessedTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory() }

    /// Stores accepted items; holds back the first request of every call the first time it is seen, and the
    /// requests matching `poison` always. The server calls `handle` from its own threads, so what it remembers
    /// lives behind one mutex.
    final class FakeDynamoDB: Sendable {
        struct State {
            var accepted: [String: Set<String>] = [:]
            var seen = Set<String>()
            var batchSizes: [Int] = []
        }

        let state = Mutex(State())
        let poison: String?

        init(poison: String? = nil) { self.poison = poison }

        var accepted: [String: Set<String>] { state.withLock { $0.accepted } }
        var batchSizes: [Int] { state.withLock { $0.batchSizes } }

        func handle(_ request: StubHTTPServer.Request) -> StubHTTPServer.Response {
            let target = request.headers["x-amz-target"] ?? ""
            let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
            if target.hasSuffix(".DescribeTable") {
                let name = body["TableName"] as! String
                let kind = DynamoDBExportTable.Kind.allCases.first { name.hasSuffix("-" + $0.rawValue) }!
                let schema = DynamoDBExportTable(kind: kind, prefix: "x").keySchema
                return json(["Table": ["TableName": name, "TableStatus": "ACTIVE",
                                       "KeySchema": schema.map { ["AttributeName": $0.attributeName, "KeyType": $0.keyType] },
                                       "AttributeDefinitions": schema.map { ["AttributeName": $0.attributeName, "AttributeType": $0.attributeType] }]])
            }
            guard target.hasSuffix(".BatchWriteItem") else { return json(["__type": "UnknownOperationException"], status: 400) }
            let unprocessed = state.withLock { state in
                var unprocessed: [String: [Any]] = [:]
                for (table, list) in body["RequestItems"] as! [String: [[String: Any]]] {
                    state.batchSizes.append(list.count)
                    for (i, entry) in list.enumerated() {
                        let text = String(decoding: try! JSONSerialization.data(withJSONObject: entry, options: .sortedKeys), as: UTF8.self)
                        let firstTime = state.seen.insert(text).inserted
                        if (i == 0 && firstTime) || (poison.map { text.contains($0) } ?? false) {
                            unprocessed[table, default: []].append(entry)
                        } else {
                            state.accepted[table, default: []].insert(text)
                        }
                    }
                }
                // Serialised inside the lock: the JSON values are not Sendable.
                return Array(try! JSONSerialization.data(withJSONObject: ["UnprocessedItems": unprocessed]))
            }
            return .init(status: 200, headers: [("Content-Type", "application/x-amz-json-1.0")], body: unprocessed)
        }

        func json(_ object: Any, status: Int = 200) -> StubHTTPServer.Response {
            .init(status: status, headers: [("Content-Type", "application/x-amz-json-1.0")],
                  body: Array(try! JSONSerialization.data(withJSONObject: object)))
        }
    }

    func environment(_ server: StubHTTPServer) -> [String: String] {
        ["AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
         "AWS_ENDPOINT_URL_DYNAMODB": server.endpoint, "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/c", "AWS_CONFIG_FILE": "/nonexistent/c"]
    }

    func testUnprocessedItemsAreResentUntilWritten() throws {
        let db = try ExportFixture.database(dir)
        let fake = FakeDynamoDB()
        let server = try StubHTTPServer { fake.handle($0) }
        defer { server.stop() }

        let summary = try ExportFixture.export("p", db: db, environment: environment(server))
        XCTAssertEqual(summary.written, 9)
        XCTAssertEqual(summary.failed.count, 0)
        XCTAssertGreaterThanOrEqual(summary.resentUnprocessed, 3, "the first item of each table's first call")
        XCTAssertGreaterThanOrEqual(summary.retries, 1)
        XCTAssertGreaterThan(summary.throttles, 0)
        XCTAssertEqual(fake.accepted.mapValues(\.count), ["p-page-metrics": 2, "p-session-metrics": 2, "p-counters": 5])
        XCTAssertTrue(fake.batchSizes.allSatisfy { $0 <= 25 })
    }

    func testBatchesHoldAtMost25Items() throws {
        let fake = FakeDynamoDB()
        let server = try StubHTTPServer { fake.handle($0) }
        defer { server.stop() }
        let client = try ExportFixture.client(environment: environment(server))
        let requests = (0..<60).map { DynamoDBWriteRequest.put(["session_id": .s("s\($0)"), "event_count": .n("1")]) }
        let report = try client.writeConcurrently([.init(table: "p-session-metrics", requests: requests)],
                                              budget: DynamoDBWriteBudget(maxConcurrency: 4, maxDelay: 0.01))
        XCTAssertEqual(report.written, 60)
        XCTAssertEqual(report.failed.count, 0)
        XCTAssertEqual(fake.accepted["p-session-metrics"]?.count, 60)
        // 25 + 25 + 10 first, then the three held-back first items resent together.
        XCTAssertEqual(fake.batchSizes.prefix(3).sorted(), [10, 25, 25])
        XCTAssertEqual(Array(fake.batchSizes.dropFirst(3)), [3])
    }

    func testItemsStillUnprocessedAfterEveryRoundFailTheRunAndAreListed() throws {
        let db = try ExportFixture.database(dir)
        let fake = FakeDynamoDB(poison: "\"s2\"")
        let server = try StubHTTPServer { fake.handle($0) }
        defer { server.stop() }

        let summary = try ExportFixture.export("p", db: db, environment: environment(server))
        XCTAssertEqual(summary.written, 8)
        XCTAssertEqual(summary.failed.map(\.table), ["p-session-metrics"])
        XCTAssertEqual(DynamoDBExport.failureMessage(summary.failed, tables: DynamoDBExportTable.all(prefix: "p")), """
            1 items could not be written after retries:
              p-session-metrics session_id=s2: still throttled or unprocessed when the 1 s of backoff allowed ran out
            """)
        XCTAssertEqual(try rows(db, "SELECT status, rows_written, message FROM runs WHERE command = 'export dynamodb'"),
                       [[.text("failed"), .integer(8), .text("1 items could not be written after retries:\n  p-session-metrics session_id=s2: still throttled or unprocessed when the 1 s of backoff allowed ran out")]])
    }
}
