import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import Foundation
import SourceKinesis

/// `stream --metrics cloudwatch`: every `interval` seconds, the events the stream committed since the last time,
/// as `Clickstream/Events` · `EventsProcessed` by `EventType` per minute of event time, and the consumer's health
/// under `Clickstream/Backfill` (events/s, per-shard `MillisBehindLatest`, throttles).
///
/// What is new is read from the committed `counters`: the minutes of the last `horizon` are compared with what
/// was published before (the baseline read at start, so a restart does not send a minute twice). An event that
/// arrives later than the horizon after its minute is in the tables, not in CloudWatch. Sending happens on its
/// own queue: CloudWatch being slow or down never stalls the consumer; failures are logged and counted.
final class StreamMetrics: @unchecked Sendable {
    static let horizon: Int64 = 3 * 3_600_000
    let client: CloudWatchClient
    let stream: String
    let interval: Double
    let log: Log
    let throttles: AWSCounters?
    private var baseline: [String: [Int64: Int64]] = [:]
    private var nextAt: Date
    private var documentsAtLast = 0
    private var throttlesAtLast = 0
    private var lastAt = Date()
    private let queue = DispatchQueue(label: "clickstream.stream.metrics")
    private let pending = DispatchGroup()
    /// Data points sent and calls that failed (touched on `queue` only, read after `wait`).
    private(set) var sent = 0, failed = 0

    init(client: CloudWatchClient, stream: String, interval: Double, log: Log, throttles: AWSCounters?, store: Store) throws {
        self.client = client
        self.stream = stream
        self.interval = interval
        self.log = log
        self.throttles = throttles
        throttlesAtLast = throttles?.throttles ?? 0
        nextAt = Date().addingTimeInterval(interval)
        baseline = try Self.recentCounts(store, now: Clock.nowMs())
    }

    /// `events_per_minute_<type>` of the minutes from `horizon` ago on (no upper bound but the supported range), per type.
    static func recentCounts(_ store: Store, now: Int64) throws -> [String: [Int64: Int64]] {
        var out: [String: [Int64: Int64]] = [:]
        for m in try CloudWatchMetrics.eventsPerMinute(store.database, window: (now - horizon)..<Timestamp.endMillis) {
            out[m.type, default: [:]][m.minute] = m.count
        }
        return out
    }

    /// Called between polls on the consumer's thread; returns when it wants to be called next.
    func tick(store: Store, status: StreamStatus, shards: [ShardState], force: Bool = false) -> Date {
        let now = Date()
        guard force || now >= nextAt else { return nextAt }
        nextAt = now.addingTimeInterval(interval)
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        var events: [CloudWatchMetricDatum] = []
        do {
            let current = try Self.recentCounts(store, now: nowMs)
            for (type, minutes) in current {
                for (minute, count) in minutes {
                    let delta = count - (baseline[type]?[minute] ?? 0)
                    if delta > 0 {
                        events.append(CloudWatchMetricDatum(name: "EventsProcessed", dimensions: ["EventType": type], timestamp: minute,
                                                            value: .single(Double(delta)), unit: "Count"))
                    }
                }
            }
            baseline = current
        } catch {
            log.warn("metrics: could not read the counters (\(error)); this interval's EventsProcessed is not sent")
        }
        let seconds = max(now.timeIntervalSince(lastAt), 0.001)
        let documents = status.ingest.documents
        let command = ["Command": "stream", "Stream": stream]
        var health = [CloudWatchMetricDatum(name: "EventsPerSecond", dimensions: command, timestamp: nowMs,
                                            value: .single((Double(documents - documentsAtLast) / seconds).rounded()), unit: "Count/Second")]
        for s in shards {
            guard let lag = s.millisBehind else { continue }
            health.append(CloudWatchMetricDatum(name: "MillisBehindLatest", dimensions: ["Stream": stream, "ShardId": s.id],
                                                timestamp: nowMs, value: .single(Double(lag)), unit: "Milliseconds"))
        }
        if let throttles {
            let total = throttles.throttles
            health.append(CloudWatchMetricDatum(name: "Throttles", dimensions: command, timestamp: nowMs,
                                                value: .single(Double(total - throttlesAtLast)), unit: "Count"))
            throttlesAtLast = total
        }
        documentsAtLast = documents
        lastAt = now
        send(events, health)
        return nextAt
    }

    private func send(_ events: [CloudWatchMetricDatum], _ health: [CloudWatchMetricDatum]) {
        pending.enter()
        queue.async { [self] in
            defer { pending.leave() }
            for (namespace, data) in [(CloudWatchMetrics.eventsNamespace, events), (CloudWatchMetrics.healthNamespace, health)] where !data.isEmpty {
                do {
                    try client.putMetricData(namespace: namespace, data)
                    sent += data.count
                } catch {
                    failed += 1
                    log.error("metrics: \(data.count) data points not sent to CloudWatch \(namespace): \(error)", event: "metrics_failed")
                }
            }
        }
    }

    /// Waits (bounded) for data still being sent.
    func wait(seconds: Double) {
        _ = pending.wait(timeout: .now() + seconds)
    }
}
