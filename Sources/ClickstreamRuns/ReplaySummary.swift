import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import SourceKinesis
import SourceLocal
import SourceS3

/// The outcome of one replay, for the summary paragraph, `runs` and tests.
public struct ReplaySummary: Sendable {
    public var runId: Int64
    public var window: Range<Int64>
    public var widened: Bool
    public var stats: IngestStats
    public var writes: Store.WriteStats
    public var seconds: Double
    public var databasePath: String
    /// S3 objects not fetched because the store already holds their events (same key, ETag and size).
    public var skippedUnchanged = 0
    /// `--dry-run`: what the run would have changed, table by table (nothing was committed).
    public var dryRun: [DryRunDiff.TableChange]?

    public var eventsPerSecond: Double { seconds > 0 ? Double(stats.documents) / seconds : 0 }

    /// One paragraph: events read, distinct, duplicates, quarantined by reason, rows written, seconds, events/s.
    public var paragraph: String {
        var s = "Replayed \(Plural.count(stats.documents, "event")) from \(Plural.count(stats.objects, "object"))"
        s += " in window [\(Timestamp.instant(window.lowerBound)), \(Timestamp.instant(window.upperBound)))"
        if widened { s += " (widened to whole hours for --rebuild)" }
        if skippedUnchanged > 0 { s += " (\(Plural.count(skippedUnchanged, "unchanged object")) skipped)" }
        s += ": \(stats.distinctNew.grouped) new distinct, \(stats.duplicates.grouped) duplicates"
        s += ", \(stats.outOfWindow.grouped) outside the window"
        let q = stats.quarantinedTotal
        s += ", \(q.grouped) quarantined"
        if q > 0 {
            let parts = QuarantineReason.allCases.compactMap { r in stats.quarantined[r].map { "\(r.rawValue) \($0.grouped)" } }
            s += " (" + parts.joined(separator: ", ") + ")"
        }
        s += ". \(Plural.count(writes.rowsWritten, "row")) written"
        if writes.rowsDeleted > 0 { s += ", \(writes.rowsDeleted.grouped) deleted" }
        s += (dryRun == nil ? " to " : " (not committed) to ") + databasePath
        s += " in \(String(format: "%.2f", seconds)) s (\(Int(eventsPerSecond).grouped) events/s)."
        if let changes = dryRun {
            s += "\nDry run: nothing was committed. In the window, the run would change:"
            for c in changes {
                s += "\n  \(c.table.padding(toLength: 16, withPad: " ", startingAt: 0)) \(c.added.grouped) added, "
                    + "\(c.changed.grouped) changed, \(c.removed.grouped) removed, \(c.unchanged.grouped) unchanged "
                    + "(\(c.before.grouped) -> \(c.after.grouped) rows)"
            }
        }
        return s
    }
}

import Foundation

extension ReplaySummary {
    /// The summary as fields for `--log-format json`.
    public var jsonFields: [String: Any] {
        var q: [String: Int] = [:]
        for (k, v) in stats.quarantined { q[k.rawValue] = v }
        return ["run_id": runId, "events": stats.documents, "distinct_new": stats.distinctNew,
                "duplicates": stats.duplicates, "out_of_window": stats.outOfWindow, "quarantined": q,
                "objects": stats.objects, "skipped_unchanged": skippedUnchanged, "rows_written": writes.rowsWritten, "rows_deleted": writes.rowsDeleted,
                "seconds": seconds, "events_per_second": eventsPerSecond, "database": databasePath,
                "from": Timestamp.instant(window.lowerBound), "to": Timestamp.instant(window.upperBound)]
            .merging(dryRunFields) { a, _ in a }
    }

    private var dryRunFields: [String: Any] {
        guard let changes = dryRun else { return [:] }
        return ["dry_run": Dictionary(uniqueKeysWithValues: changes.map {
            ($0.table, ["added": $0.added, "changed": $0.changed, "removed": $0.removed, "unchanged": $0.unchanged])
        })]
    }
}
