import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import Foundation

/// `--metrics cloudwatch`: after a replay, the production pipeline's metric (`Clickstream/Events` ·
/// `EventsProcessed` by `EventType`, one data point per minute of event time, read from the committed
/// `counters`) and the run's own health under `Clickstream/Backfill` (events/s, duration, duplicates,
/// quarantined by reason), through `PutMetricData`.
///
/// CloudWatch keeps what it is sent: a data point adds to the minute, it does not replace it, and it takes
/// timestamps from two weeks ago to two hours ahead only. Minutes outside that range are skipped and counted.
public struct CloudWatchMetrics {
    public static let eventsNamespace = "Clickstream/Events"
    public static let healthNamespace = "Clickstream/Backfill"
    static let oldest: Int64 = 14 * 24 * 3_600_000
    static let newest: Int64 = 2 * 3_600_000

    public struct Report: Sendable, Equatable {
        /// Data points sent: per-minute `EventsProcessed`, and health.
        public var minutes = 0, health = 0
        /// Minutes older than two weeks or more than two hours ahead: CloudWatch would refuse them.
        public var skippedOld = 0, skippedAhead = 0
        public var calls = 0

        public var fields: [String: Any] {
            ["minutes": minutes, "health": health, "skipped_old": skippedOld, "skipped_ahead": skippedAhead, "calls": calls]
        }
    }

    let client: CloudWatchClient

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        do {
            client = CloudWatchClient(transport: try AWSTransport(config: try AWSConfig.resolve(environment: environment)))
        } catch {
            throw ClickstreamError(.configuration, "--metrics cloudwatch", "\(error)")
        }
    }

    /// `(minute start ms, event type, events)` of the window, from the database's `counters`: one index seek per
    /// event type (found by skipping from one `events_per_minute_<type>` name to the next), then that type's
    /// minutes of the window, so neither a replay's window nor a stream's last hours scans the whole history.
    public static func eventsPerMinute(_ database: Database, window: Range<Int64>) throws -> [(minute: Int64, type: String, count: Int64)] {
        let prefix = "events_per_minute_"
        // `` ` `` sorts right after `_`: the names with the prefix are exactly those below it.
        let nextType = try database.prepare(
            "SELECT metric_name FROM counters WHERE metric_name > ? AND metric_name < 'events_per_minute`' ORDER BY metric_name LIMIT 1")
        let minutes = try database.prepare("""
            SELECT time_window, event_count FROM counters WHERE metric_name = ? AND time_window >= ? AND time_window <= ?
            ORDER BY time_window
            """)
        var out: [(Int64, String, Int64)] = []
        var last = prefix
        while true {
            try nextType.bind([.text(last)])
            guard try nextType.step() else { break }
            last = nextType.string(0)
            nextType.reset()
            try minutes.bind([.text(last), .text(Timestamp.minuteKey(window.lowerBound)), .text(Timestamp.minuteKey(window.upperBound - 1))])
            while try minutes.step() {
                if let minute = Timestamp.parseMinuteKey(minutes.string(0)) { out.append((minute, String(last.dropFirst(prefix.count)), minutes.int(1))) }
            }
            minutes.reset()
        }
        return out
    }

    /// The data points of a replay, with what falls outside CloudWatch's range counted, not sent.
    public static func data(for summary: ReplaySummary, command: String, perMinute: [(minute: Int64, type: String, count: Int64)],
                            now: Int64) -> (events: [CloudWatchMetricDatum], health: [CloudWatchMetricDatum], report: Report) {
        var report = Report()
        var events: [CloudWatchMetricDatum] = []
        for m in perMinute {
            if m.minute < now - oldest { report.skippedOld += 1; continue }
            if m.minute > now + newest { report.skippedAhead += 1; continue }
            events.append(CloudWatchMetricDatum(name: "EventsProcessed", dimensions: ["EventType": m.type], timestamp: m.minute,
                                                value: .single(Double(m.count)), unit: "Count"))
        }
        let command = ["Command": command]
        var health = [
            CloudWatchMetricDatum(name: "EventsPerSecond", dimensions: command, timestamp: now, value: .single(summary.eventsPerSecond.rounded()), unit: "Count/Second"),
            CloudWatchMetricDatum(name: "RunDuration", dimensions: command, timestamp: now, value: .single(summary.seconds), unit: "Seconds"),
            CloudWatchMetricDatum(name: "EventsRead", dimensions: command, timestamp: now, value: .single(Double(summary.stats.documents)), unit: "Count"),
            CloudWatchMetricDatum(name: "Duplicates", dimensions: command, timestamp: now, value: .single(Double(summary.stats.duplicates)), unit: "Count"),
        ]
        for (reason, n) in summary.stats.quarantined.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            health.append(CloudWatchMetricDatum(name: "Quarantined", dimensions: ["Command": command["Command"]!, "Reason": reason.rawValue],
                                                timestamp: now, value: .single(Double(n)), unit: "Count"))
        }
        report.minutes = events.count
        report.health = health.count
        return (events, health, report)
    }

    /// Publishes a committed replay's metrics; the error of a call that fails after its retries names the namespace.
    public func publish(_ summary: ReplaySummary, command: String, now: Int64 = Clock.nowMs()) throws -> Report {
        let perMinute = try Self.eventsPerMinute(try Database(path: summary.databasePath, readOnly: true), window: summary.window)
        var (events, health, report) = Self.data(for: summary, command: command, perMinute: perMinute, now: now)
        do {
            report.calls += try client.putMetricData(namespace: Self.eventsNamespace, events)
            report.calls += try client.putMetricData(namespace: Self.healthNamespace, health)
        } catch {
            throw ClickstreamError.wrapping(error, .sink, "CloudWatch metrics")
        }
        return report
    }

    /// One line for the summary: what was sent and what CloudWatch's range kept out.
    public static func line(_ r: Report) -> String {
        var s = "CloudWatch: \(Plural.count(r.minutes, "EventsProcessed data point")) and \(Plural.count(r.health, "health metric")) sent in \(Plural.count(r.calls, "call"))"
        if r.skippedOld > 0 { s += "; \(Plural.count(r.skippedOld, "minute")) older than two weeks not sent (CloudWatch refuses them)" }
        if r.skippedAhead > 0 { s += "; \(Plural.count(r.skippedAhead, "minute")) more than two hours ahead not sent" }
        return s
    }
}
