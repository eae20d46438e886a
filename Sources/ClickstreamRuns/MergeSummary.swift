import ClickstreamCore
import ClickstreamStore

/// The outcome of one merge, for the summary paragraph and `--log-format json`.
public struct MergeSummary: Sendable {
    public var parts: Int
    /// COUNT of the partitioned backfill, when the parts record one.
    public var partitions: Int?
    public var window: Range<Int64>?
    public var stats: Store.MergeStats
    public var databasePath: String
    public var seconds: Double

    public var paragraph: String {
        var s = "Merged \(Plural.count(parts, "part"))"
        if let partitions, let window {
            s += " (\(partitions) partitions of [\(Timestamp.instant(window.lowerBound)), \(Timestamp.instant(window.upperBound))))"
        }
        s += " into \(databasePath): \(Plural.count(stats.hoursAdded, "hour")) added, \(stats.hoursReplaced.grouped) replaced, "
        s += "\(stats.hoursUnchanged.grouped) already there; \(stats.eventsAdded.grouped) new distinct events, "
        s += "\(stats.quarantineAdded.grouped) quarantine rows, \(Plural.count(stats.writes.sessionsRecomputed, "session")) recomputed, "
        s += "\(Plural.count(stats.writes.rowsWritten, "row")) written in \(String(format: "%.2f", seconds)) s."
        return s
    }

    public var jsonFields: [String: Any] {
        var f: [String: Any] = ["parts": parts, "hours_added": stats.hoursAdded, "hours_replaced": stats.hoursReplaced,
                                "hours_unchanged": stats.hoursUnchanged, "distinct_new": stats.eventsAdded,
                                "quarantine_added": stats.quarantineAdded, "runs_copied": stats.runsCopied,
                                "sessions_recomputed": stats.writes.sessionsRecomputed, "rows_written": stats.writes.rowsWritten,
                                "neighbour_id_copies": stats.neighbourIdCopies, "db": databasePath, "seconds": seconds]
        if let partitions { f["partitions"] = partitions }
        if let window { f["from"] = Timestamp.instant(window.lowerBound); f["to"] = Timestamp.instant(window.upperBound) }
        return f
    }
}
