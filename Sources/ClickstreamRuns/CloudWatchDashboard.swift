import Foundation

/// The body of a CloudWatch dashboard that shows the production pipeline's metrics (events processed by type,
/// the Lambda, the stream's throughput) beside this tool's (`CloudWatchMetrics`). Metrics are found with SEARCH
/// expressions, so the body names no stream, function or event type and fits any deployment.
public enum CloudWatchDashboard {
    public static func body(region: String) -> String {
        func search(_ schema: String, _ metric: String, _ stat: String, id: String) -> [String: Any] {
            ["expression": "SEARCH('{\(schema)} MetricName=\"\(metric)\"', '\(stat)', 60)", "id": id]
        }
        func widget(_ title: String, x: Int, y: Int, _ metrics: [[String: Any]], label: String) -> [String: Any] {
            ["type": "metric", "x": x, "y": y, "width": 12, "height": 6,
             "properties": ["title": title, "region": region, "view": "timeSeries", "stacked": false, "period": 60,
                            "metrics": metrics.map { [$0] }, "yAxis": ["left": ["label": label, "min": 0]]] as [String: Any]]
        }
        let widgets: [[String: Any]] = [
            widget("Events processed by type (live and backfilled)", x: 0, y: 0,
                   [search("Clickstream/Events,EventType", "EventsProcessed", "Sum", id: "events")], label: "events / minute"),
            widget("Kinesis throughput", x: 12, y: 0,
                   [search("AWS/Kinesis,StreamName", "IncomingRecords", "Sum", id: "incoming"),
                    search("AWS/Kinesis,StreamName", "GetRecords.Records", "Sum", id: "read")], label: "records / minute"),
            widget("Lambda performance", x: 0, y: 6,
                   [search("AWS/Lambda,FunctionName", "Duration", "Average", id: "duration"),
                    search("AWS/Lambda,FunctionName", "Errors", "Sum", id: "errors")], label: "ms, errors"),
            widget("clickstream runs: events per second", x: 12, y: 6,
                   [search("Clickstream/Backfill,Command", "EventsPerSecond", "Maximum", id: "rate")], label: "events / s"),
            widget("clickstream runs: duration, duplicates", x: 0, y: 12,
                   [search("Clickstream/Backfill,Command", "RunDuration", "Maximum", id: "duration2"),
                    search("Clickstream/Backfill,Command", "Duplicates", "Sum", id: "duplicates")], label: "s, events"),
            widget("clickstream runs: quarantined by reason", x: 12, y: 12,
                   [search("Clickstream/Backfill,Command,Reason", "Quarantined", "Sum", id: "quarantined")], label: "records"),
        ]
        let data = try! JSONSerialization.data(withJSONObject: ["widgets": widgets], options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
