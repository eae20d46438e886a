import ClickstreamQueries
import ClickstreamStore
import Foundation

/// A fresh store in a temporary folder holding a few known rows in every table the canned queries read.
final class QueryFixture {
    let directory: String
    let store: Store
    var database: Database { store.database }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let queriesDirectory = packageRoot + "/queries"

    init() throws {
        directory = NSTemporaryDirectory() + "clickstream-queries-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try Store(path: directory + "/test.sqlite")
        try database.execute("""
            INSERT INTO page_metrics VALUES
              ('https://shop.example.com/', '2025-07-03T05', 10),
              ('https://shop.example.com/', '2025-07-03T06', 6),
              ('https://shop.example.com/product/42', '2025-07-03T05', 8),
              ('https://shop.example.com/product/7?ref=home', '2025-07-03T06', 4),
              ('https://shop.example.com/cart', '2025-07-03T06', 5),
              ('https://shop.example.com/checkout', '2025-07-03T06', 2),
              ('https://shop.example.com/checkout/payment', '2025-07-03T07', 1),
              ('https://shop.example.com/?utm=x', '2025-07-03T23', 4),
              ('/', '2025-07-02T23', 100),
              ('https://shop.example.com/cart', '2025-07-04T00', 50);
            INSERT INTO counters VALUES
              ('events_per_minute_page_view', '2025-07-03T05:00', 3, 0),
              ('events_per_minute_click', '2025-07-03T05:00', 2, 0),
              ('events_per_minute_click', '2025-07-03T05:59', 1, 0),
              ('events_per_minute_page_view', '2025-07-03T06:10', 7, 0),
              ('events_per_minute_page_view', '2025-07-04T00:00', 50, 0),
              ('events_per_minute_page_view', '2025-07-03T04:59', 40, 0),
              ('events_per_minuteXpage_view', '2025-07-03T05:00', 1000, 0),
              ('session_events_s1', '2025-07-03T05:00', 99, 0);
            INSERT INTO session_metrics VALUES
              ('s1', 30, '2025-07-03T05:00:00.000Z', '2025-07-03T05:10:00.000Z', 'Mozilla/5.0'),
              ('s2', 1, '2025-07-03T06:00:00.000Z', '2025-07-03T06:00:00.000Z', 'unknown'),
              ('s3', 1, '2025-07-02T23:59:59.999Z', '2025-07-02T23:59:59.999Z', 'unknown'),
              ('s4', 12, '2025-07-03T23:59:59.999Z', '2025-07-04T00:05:00.000Z', 'curl/8.0'),
              ('s5', 30, '2025-07-04T00:00:00.000Z', '2025-07-04T00:01:00.000Z', 'Mozilla/5.0');
            INSERT INTO anomalies VALUES
              ('s1', 'high_frequency_clicks', '2025-07-03T05:03', '61 events in 2025-07-03T05:03'),
              ('s2', 'unusual_page_sequence', '2025-07-03T06:00:00.000Z', 'checkout as event 1'),
              ('bot', 'suspicious_user_agent', '2025-07-03T05:03:00.500Z', 'Googlebot/2.1'),
              ('s3', 'suspicious_user_agent', '2025-07-02T23:59:59.999Z', 'AhrefsBot');
            INSERT INTO runs (run_id, command, sources, started_at, status) VALUES
              (1, 'replay', './a', '2025-07-05T00:00:00.000Z', 'done'),
              (2, 'replay', './a ./b', '2025-07-05T01:00:00.000Z', 'done');
            INSERT INTO quarantine (run_id, source, location, reason, message, raw) VALUES
              (1, './a', 'f1 line 1', 'invalid_json', 'm', x''),
              (1, './a', 'f2 line 1', 'invalid_json', 'm', x''),
              (2, './a', 'f3 line 1', 'missing_field', 'm', x''),
              (2, './b', 'f4 line 1', 'missing_field', 'm', x''),
              (2, './b', 'f5 line 2', 'bad_timestamp', 'm', x''),
              (2, './b', 'f6 line 1', 'missing_field', 'm', x'');
            """)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func run(_ name: String, _ arguments: [String: String] = [:]) throws -> QueryResult {
        let query = try QueryCatalog(directory: Self.queriesDirectory).query(name)
        return try QueryRunner(database: database).run(query, arguments: arguments)
    }
}
