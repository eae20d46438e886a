import AWSClient
import ClickstreamCore
import ClickstreamStore

/// One of the three exported tables: its DynamoDB name and key schema (docs/dynamodb.md), which SQLite rows belong
/// to a window, and how a row becomes an item.
public struct DynamoDBExportTable: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case pageMetrics = "page-metrics", sessionMetrics = "session-metrics", counters }

    public let kind: Kind
    public let name: String

    public init(kind: Kind, prefix: String) {
        self.kind = kind
        name = "\(prefix)-\(kind.rawValue)"
    }

    public static func all(prefix: String) -> [DynamoDBExportTable] { Kind.allCases.map { .init(kind: $0, prefix: prefix) } }

    /// HASH first, then RANGE, as `DynamoDBClient.describeTable` returns it.
    public var keySchema: [DynamoDBKeySchemaElement] {
        switch kind {
        case .pageMetrics: return [.init(attributeName: "page_url", keyType: "HASH", attributeType: "S"),
                                   .init(attributeName: "timestamp_hour", keyType: "RANGE", attributeType: "S")]
        case .sessionMetrics: return [.init(attributeName: "session_id", keyType: "HASH", attributeType: "S")]
        case .counters: return [.init(attributeName: "metric_name", keyType: "HASH", attributeType: "S"),
                                .init(attributeName: "time_window", keyType: "RANGE", attributeType: "S")]
        }
    }

    var hashKey: String { keySchema[0].attributeName }
    var rangeKey: String? { keySchema.count > 1 ? keySchema[1].attributeName : nil }

    /// The attribute compared for "largest count differences".
    var countAttribute: String { kind == .pageMetrics ? "view_count" : "event_count" }

    /// Attributes a dry run does not compare: `last_updated` is the export's own clock, and `ttl` the Lambda sets
    /// from its clock (now + 24 h), so a difference in `ttl` alone is not a change of the data.
    static let ignoredInDiff: Set<String> = ["last_updated", "ttl"]

    /// The item's key only.
    func key(of item: DynamoDBItem) -> DynamoDBItem {
        var k: DynamoDBItem = [hashKey: item[hashKey] ?? .s("")]
        if let r = rangeKey { k[r] = item[r] ?? .s("") }
        return k
    }

    /// `page_url=/cart timestamp_hour=2025-07-03T05`: how reports name an item.
    func keyText(of item: DynamoDBItem) -> String {
        var s = "\(hashKey)=\(item[hashKey]?.stringValue ?? "?")"
        if let r = rangeKey { s += " \(r)=\(item[r]?.stringValue ?? "?")" }
        return s
    }

    /// The UTC hour (`YYYY-MM-DDTHH`) an item is reported under.
    func hour(of item: DynamoDBItem) -> String {
        let field: String
        switch kind {
        case .pageMetrics: field = "timestamp_hour"
        case .sessionMetrics: field = "last_activity"
        case .counters: field = "time_window"
        }
        return String((item[field]?.stringValue ?? "?").prefix(13))
    }

    /// The window's rows as items, in key order.
    func items(in window: Range<Int64>, database: Database, nowSeconds: Int64) throws -> [DynamoDBItem] {
        let last = window.upperBound - 1
        switch kind {
        case .pageMetrics:
            let st = try database.prepare("""
                SELECT page_url, timestamp_hour, view_count FROM page_metrics
                WHERE timestamp_hour >= ? AND timestamp_hour <= ? ORDER BY page_url, timestamp_hour
                """)
            try st.bind([.text(Timestamp.hourKey(window.lowerBound)), .text(Timestamp.hourKey(last))])
            var out: [DynamoDBItem] = []
            while try st.step() {
                out.append(["page_url": .s(st.string(0)), "timestamp_hour": .s(st.string(1)),
                            "view_count": .n(String(st.int(2))), "last_updated": .n(String(nowSeconds))])
            }
            return out
        case .sessionMetrics:
            let st = try database.prepare("""
                SELECT session_id, event_count, last_activity, user_agent FROM session_metrics
                WHERE last_activity >= ? AND last_activity < ? ORDER BY session_id
                """)
            try st.bind([.text(Timestamp.instant(window.lowerBound)), .text(Timestamp.instant(window.upperBound))])
            var out: [DynamoDBItem] = []
            while try st.step() {
                out.append(["session_id": .s(st.string(0)), "event_count": .n(String(st.int(1))),
                            "last_activity": .s(st.string(2)), "user_agent": .s(st.string(3))])
            }
            return out
        case .counters:
            let st = try database.prepare("""
                SELECT metric_name, time_window, event_count, ttl FROM counters
                WHERE time_window >= ? AND time_window <= ? ORDER BY metric_name, time_window
                """)
            try st.bind([.text(Timestamp.minuteKey(window.lowerBound)), .text(Timestamp.minuteKey(last))])
            var out: [DynamoDBItem] = []
            while try st.step() {
                out.append(["metric_name": .s(st.string(0)), "time_window": .s(st.string(1)),
                            "event_count": .n(String(st.int(2))), "ttl": .n(String(st.int(3)))])
            }
            return out
        }
    }

    /// For a dry run: one Query per partition key of ours, over the window's range keys, to find items DynamoDB
    /// has and we do not. Session metrics have no range key to bound by time, so none (that would need a Scan).
    func rangeQueries(for items: [DynamoDBItem], window: Range<Int64>) -> [(condition: String, values: DynamoDBItem)] {
        let bounds: (String, String)
        switch kind {
        case .pageMetrics: bounds = (Timestamp.hourKey(window.lowerBound), Timestamp.hourKey(window.upperBound - 1))
        case .counters: bounds = (Timestamp.minuteKey(window.lowerBound), Timestamp.minuteKey(window.upperBound - 1))
        case .sessionMetrics: return []
        }
        var seen = Set<String>()
        var out: [(String, DynamoDBItem)] = []
        for item in items {
            guard let h = item[hashKey]?.stringValue, seen.insert(h).inserted else { continue }
            out.append(("#h = :h AND #r BETWEEN :a AND :b", [":h": .s(h), ":a": .s(bounds.0), ":b": .s(bounds.1)]))
        }
        return out
    }
}
