import AWSClient
import ClickstreamCore
import ClickstreamExport
import ClickstreamPipeline
import ClickstreamTestSupport
import Foundation
import Synchronization
import XCTest

/// The export next to production: throttling and unprocessed items injected by a proxy in front of moto, items
/// DynamoDB can never take, counters whose ttl has passed, and a write-rate ceiling.
final class DynamoDBExportBudgetTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    var moto: MotoServer { MotoServer.shared }

    func environment(_ proxy: FaultInjectingProxy) -> [String: String] {
        moto.environment.merging(["AWS_ENDPOINT_URL": proxy.endpoint]) { $1 }
    }

    func testThrottledHalfTheTimeAndUnprocessedTheExportStillWritesEveryItem() throws {
        let db = try ExportFixture.database(dir)
        let prefix = ExportFixture.uniquePrefix()
        let client = try ExportFixture.client()
        try ExportFixture.createTables(prefix, client: client)
        let injected = Mutex((throttled: 0, unprocessed: 0))
        let proxy = try FaultInjectingProxy(upstream: moto.endpoint) { request, n in
            guard request.headers["x-amz-target"]?.hasSuffix(".BatchWriteItem") == true else { return .forward }
            // Every other write is throttled; every third one is "accepted" with all its items unprocessed.
            if n % 2 == 0 {
                injected.withLock { $0.throttled += 1 }
                return .respond(FaultInjectingProxy.throttle())
            }
            if n % 3 == 0 {
                injected.withLock { $0.unprocessed += 1 }
                let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
                let answer = try! JSONSerialization.data(withJSONObject: ["UnprocessedItems": body["RequestItems"] ?? [:]])
                return .respond(StubHTTPServer.Response(status: 200, headers: [("Content-Type", "application/x-amz-json-1.0")], body: Array(answer)))
            }
            return .forward
        }
        defer { proxy.stop() }
        var options = ExportFixture.options(prefix, db: db, environment: environment(proxy))
        options.maxRetryWait = 120
        let summary = try DynamoDBExport(options: options, log: Log(json: false, showProgress: false)).run()
        XCTAssertEqual(summary.failed.count, 0, summary.failed.map(\.reason).joined(separator: "; "))
        XCTAssertEqual(summary.written, 9)
        XCTAssertGreaterThan(injected.withLock { $0.throttled }, 0)
        XCTAssertGreaterThan(injected.withLock { $0.unprocessed }, 0)
        for (suffix, items) in ExportFixture.expected {
            XCTAssertEqual(try ExportFixture.scanAll("\(prefix)-\(suffix)", client: client), items, suffix)
        }
    }

    func testAnItemDynamoDBCannotTakeIsReportedAndTheOthersAreWritten() throws {
        let long = "/" + String(repeating: "p", count: 3000)
        let archive = try writeArchive(dir, [
            (day0 + 5 * hourMs + 60_000, eventLine("page_view", session: "s1", at: day0 + 5 * hourMs + 60_000, page: "/a")),
            (day0 + 5 * hourMs + 70_000, eventLine("page_view", session: "s1", at: day0 + 5 * hourMs + 70_000, page: long)),
        ])
        let db = dir.url("long.sqlite")
        try replay([archive], from: day0, to: day0 + 24 * hourMs, db: db)
        let prefix = ExportFixture.uniquePrefix()
        let client = try ExportFixture.client()
        try ExportFixture.createTables(prefix, client: client)
        let summary = try ExportFixture.export(prefix, db: db)
        XCTAssertEqual(summary.failed.map(\.reason), ["partition key page_url is 3001 bytes; DynamoDB takes at most 2048"])
        XCTAssertEqual(summary.written, summary.totalItems - 1)
        XCTAssertEqual(try ExportFixture.scanAll("\(prefix)-page-metrics", client: client).map { $0["page_url"] }, [.s("/a")])
        XCTAssertNotNil(summary.failure, "the export is partial: exit 1")
        XCTAssertTrue(summary.failure!.message.contains("page_url=\(long)"), summary.failure!.message)
    }

    func testCountersWhoseTTLHasPassedAreSkippedOrWrittenFromNow() throws {
        let db = try ExportFixture.database(dir)
        let prefix = ExportFixture.uniquePrefix()
        let client = try ExportFixture.client()
        try ExportFixture.createTables(prefix, client: client)
        // A year after the window: every counter's ttl (the minute's end + 24 h) has passed.
        var options = ExportFixture.options(prefix, db: db)
        options.nowSeconds = ExportFixture.now + 365 * 86_400
        let skipped = try DynamoDBExport(options: options, log: Log(json: false, showProgress: false)).run()
        XCTAssertEqual(skipped.skippedExpired, 5)
        XCTAssertEqual(skipped.written, 4)
        XCTAssertTrue(skipped.paragraph.hasSuffix(" 5 counter items skipped: their ttl has passed (--ttl-from-now writes them)."), skipped.paragraph)
        XCTAssertEqual(try ExportFixture.scanAll("\(prefix)-counters", client: client), [])

        options.ttlFromNow = true
        let fromNow = try DynamoDBExport(options: options, log: Log(json: false, showProgress: false)).run()
        XCTAssertEqual(fromNow.skippedExpired, 0)
        let counters = try ExportFixture.scanAll("\(prefix)-counters", client: client)
        XCTAssertEqual(counters.count, 5)
        XCTAssertEqual(counters.map { $0["ttl"] }, Array(repeating: .n(String(options.nowSeconds + 86_400)), count: 5))
        // The dry run does not call a ttl difference alone a change.
        options.ttlFromNow = true
        options.nowSeconds += 3600
        options.dryRun = true
        let dry = try DynamoDBExport(options: options, log: Log(json: false, showProgress: false)).run()
        XCTAssertEqual(dry.diffs.first { $0.table.hasSuffix("-counters") }?.changes.count, 0)
        XCTAssertEqual(dry.diffs.first { $0.table.hasSuffix("-counters") }?.unchanged, 5)
    }

    func testTheWriteRateCeilingHolds() throws {
        let table = "\(ExportFixture.uniquePrefix())-session-metrics"
        let client = try ExportFixture.client()
        try client.createTable(table, key: [.init(attributeName: "session_id", keyType: "HASH", attributeType: "S")])
        let times = Mutex<[(Date, Int)]>([])
        let proxy = try FaultInjectingProxy(upstream: moto.endpoint) { request, _ in
            if request.headers["x-amz-target"]?.hasSuffix(".BatchWriteItem") == true {
                let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: [String: [Any]]]
                times.withLock { $0.append((Date(), body?["RequestItems"]?.values.first?.count ?? 0)) }
            }
            return .forward
        }
        defer { proxy.stop() }
        let throughProxy = try ExportFixture.client(environment: environment(proxy))
        let requests = (0..<300).map { DynamoDBWriteRequest.put(["session_id": .s("s\($0)"), "event_count": .n("1")]) }
        let started = Date()
        let report = try throughProxy.writeConcurrently([.init(table: table, requests: requests)],
                                                        budget: DynamoDBWriteBudget(maxItemsPerSecond: 100, maxConcurrency: 2))
        XCTAssertEqual(report.written, 300)
        // 300 items at 100/s: at least 3 s, however fast moto answers.
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 2.95)
        // Items sent by any instant never exceed what the rate allows by then (one wave of 2 × 25 items of slack).
        var sent = 0
        for (at, n) in times.withLock({ $0 }).sorted(by: { $0.0 < $1.0 }) {
            sent += n
            XCTAssertLessThanOrEqual(Double(sent), at.timeIntervalSince(started) * 100 + 0.5, "\(sent) items by \(at.timeIntervalSince(started)) s")
        }
        XCTAssertEqual(try ExportFixture.scanAll(table, client: client).count, 300)
    }
}
