import ClickstreamCodecs
import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import Foundation
import SourceKinesis
import SourceLocal
import SourceS3

/// Totals of a live stream and its periodic status line: events/s since the last line, per-shard lag
/// (`MillisBehindLatest`), failing shards, and the age of the last commit.
final class StreamStatus {
    private(set) var ingest = IngestStats()
    private(set) var rowsWritten = 0
    private(set) var records = 0
    private(set) var commits = 0
    private var lastCommit: Date?
    private var lastLineAt = Date()
    private var documentsAtLastLine = 0
    private let started = Date()

    func committed(records: Int, ingest: IngestStats, writes: Store.WriteStats, at: Date) {
        self.records += records
        self.ingest.add(ingest)
        rowsWritten += writes.rowsWritten
        commits += 1
        lastCommit = at
    }

    func nextAt(interval: Double) -> Date {
        interval > 0 ? lastLineAt.addingTimeInterval(interval) : .distantFuture
    }

    func line(shards: [ShardState]) -> (text: String, fields: [String: Any]) {
        let now = Date()
        let seconds = max(now.timeIntervalSince(lastLineAt), 0.001)
        let rate = Double(ingest.documents - documentsAtLastLine) / seconds
        lastLineAt = now
        documentsAtLastLine = ingest.documents
        let commitText = lastCommit.map { String(format: "%.1f s ago", now.timeIntervalSince($0)) } ?? "none yet"
        let text = "status: \(Int(rate)) events/s, \(ingest.documents) events (\(ingest.distinctNew) new, \(ingest.duplicates) duplicates, "
            + "\(ingest.quarantinedTotal) quarantined) from \(records) records; last commit \(commitText); "
            + shards.map(\.statusText).joined(separator: ", ")
        var lags: [String: Any] = [:]
        var failing: [String: Any] = [:]
        var reads: [String: Any] = [:]
        for s in shards {
            reads[s.id] = ["calls": s.calls, "records": s.recordsRead, "bytes": s.bytesRead, "throttles": s.throttles]
            lags[s.id] = s.millisBehind ?? NSNull()
            if s.consecutiveFailures > 0 { failing[s.id] = ["failures": s.consecutiveFailures, "error": s.lastError ?? ""] }
        }
        var fields = self.fields
        fields["events_per_second"] = Int(rate)
        fields["millis_behind"] = lags
        fields["shard_reads"] = reads
        fields["failing_shards"] = failing
        fields["last_commit_seconds_ago"] = lastCommit.map { now.timeIntervalSince($0) } ?? NSNull()
        return (text, fields)
    }

    var fields: [String: Any] {
        ["events": ingest.documents, "distinct_new": ingest.distinctNew, "duplicates": ingest.duplicates,
         "quarantined": ingest.quarantinedTotal, "records": records, "commits": commits, "rows_written": rowsWritten]
    }

    func summary(seconds: Double) -> String {
        "\(records) records, \(ingest.documents) events (\(ingest.distinctNew) distinct new, \(ingest.duplicates) duplicates, "
            + "\(ingest.quarantinedTotal) quarantined), \(rowsWritten) rows written in \(commits) commits, "
            + String(format: "%.1f s, %.0f events/s", seconds, Double(ingest.documents) / max(seconds, 0.001))
    }
}
