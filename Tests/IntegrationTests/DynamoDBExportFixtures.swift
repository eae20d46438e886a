import AWSClient
import ClickstreamCore
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
import XCTest

/// A small store for export tests: two sessions inside [05:00, 07:00) on 2025-07-03, one outside.
///   s1: page_view /a 05:01:00, click /a 05:01:30 (agent UA1); s2: page_view /b 06:30:00 (no agent);
///   s3: page_view /a 09:00:00 (outside the window).
enum ExportFixture {
    static let window = (day0 + 5 * hourMs)..<(day0 + 7 * hourMs)
    static let now: Int64 = 1_751_600_000

    static func database(_ dir: TemporaryDirectory) throws -> String {
        let archive = try writeArchive(dir, [
            (day0 + 5 * hourMs + 60_000, eventLine("page_view", session: "s1", at: day0 + 5 * hourMs + 60_000, page: "/a", agent: "UA1")),
            (day0 + 5 * hourMs + 90_000, eventLine("click", session: "s1", at: day0 + 5 * hourMs + 90_000, page: "/a", agent: "UA1")),
            (day0 + 6 * hourMs + 1_800_000, eventLine("page_view", session: "s2", at: day0 + 6 * hourMs + 1_800_000, page: "/b", agent: nil)),
            (day0 + 9 * hourMs, eventLine("page_view", session: "s3", at: day0 + 9 * hourMs, page: "/a", agent: "UA3")),
        ])
        let db = dir.url("export.sqlite")
        try replay([archive], from: day0, to: day0 + 24 * hourMs, db: db)
        return db
    }

    /// Epoch seconds of the end of 2025-07-03T05:MM (or 06:MM) plus the 24 h retention.
    static func ttl(hour: Int64, minute: Int64) -> String { String((day0 + hour * hourMs + (minute + 1) * 60_000) / 1000 + 86_400) }

    /// Exactly what the export must write for `window`, per table suffix, sorted by key text.
    static let expected: [String: [DynamoDBItem]] = [
        "page-metrics": [
            ["page_url": .s("/a"), "timestamp_hour": .s("2025-07-03T05"), "view_count": .n("1"), "last_updated": .n(String(now))],
            ["page_url": .s("/b"), "timestamp_hour": .s("2025-07-03T06"), "view_count": .n("1"), "last_updated": .n(String(now))],
        ],
        "session-metrics": [
            ["session_id": .s("s1"), "event_count": .n("2"), "last_activity": .s("2025-07-03T05:01:30.000Z"), "user_agent": .s("UA1")],
            ["session_id": .s("s2"), "event_count": .n("1"), "last_activity": .s("2025-07-03T06:30:00.000Z"), "user_agent": .s("unknown")],
        ],
        "counters": [
            ["metric_name": .s("events_per_minute_click"), "time_window": .s("2025-07-03T05:01"), "event_count": .n("1"), "ttl": .n(ttl(hour: 5, minute: 1))],
            ["metric_name": .s("events_per_minute_page_view"), "time_window": .s("2025-07-03T05:01"), "event_count": .n("1"), "ttl": .n(ttl(hour: 5, minute: 1))],
            ["metric_name": .s("events_per_minute_page_view"), "time_window": .s("2025-07-03T06:30"), "event_count": .n("1"), "ttl": .n(ttl(hour: 6, minute: 30))],
            ["metric_name": .s("session_events_s1"), "time_window": .s("2025-07-03T05:01"), "event_count": .n("2"), "ttl": .n(ttl(hour: 5, minute: 1))],
            ["metric_name": .s("session_events_s2"), "time_window": .s("2025-07-03T06:30"), "event_count": .n("1"), "ttl": .n(ttl(hour: 6, minute: 30))],
        ],
    ]

    static func uniquePrefix() -> String { "t\(UInt32.random(in: 0...UInt32.max))" }

    static func client(environment: [String: String] = MotoServer.shared.environment) throws -> DynamoDBClient {
        DynamoDBClient(transport: try AWSTransport(config: try AWSConfig.resolve(environment: environment),
                                                   retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.01)))
    }

    /// The three tables as the production recipe creates them, on demand.
    static func createTables(_ prefix: String, skip: String? = nil, client: DynamoDBClient) throws {
        for table in DynamoDBExportTable.all(prefix: prefix) where table.kind.rawValue != skip {
            try client.createTable(table.name, key: table.keySchema)
        }
    }

    /// Every item of a table, sorted by its key.
    static func scanAll(_ table: String, client: DynamoDBClient) throws -> [DynamoDBItem] {
        var items: [DynamoDBItem] = []
        var start: DynamoDBItem? = nil
        repeat {
            let page = try client.scan(table, exclusiveStartKey: start)
            items += page.items
            start = page.lastEvaluatedKey
        } while start != nil && !(start!.isEmpty)
        return items.sorted { sortKey($0) < sortKey($1) }
    }

    static func sortKey(_ item: DynamoDBItem) -> String {
        ["page_url", "timestamp_hour", "session_id", "metric_name", "time_window"].compactMap {
            if case let .s(v)? = item[$0] { return v } else { return nil }
        }.joined(separator: "\u{1}")
    }

    static func options(_ prefix: String, db: String, dryRun: Bool = false,
                        environment: [String: String] = MotoServer.shared.environment) -> DynamoDBExportOptions {
        var options = DynamoDBExportOptions(tablePrefix: prefix, window: window, databasePath: db, dryRun: dryRun, concurrency: 4,
                                            nowSeconds: now, environment: environment,
                                            retryPolicy: RetryPolicy(maxAttempts: 4, baseDelay: 0.001, maxDelay: 0.01))
        // Poisoned items give up after about a second of (short) backoff, not ten minutes.
        options.maxRetryWait = 1
        return options
    }

    @discardableResult
    static func export(_ prefix: String, db: String, dryRun: Bool = false,
                       environment: [String: String] = MotoServer.shared.environment) throws -> DynamoDBExportSummary {
        try DynamoDBExport(options: options(prefix, db: db, dryRun: dryRun, environment: environment),
                           log: Log(json: false, showProgress: false)).run()
    }
}
