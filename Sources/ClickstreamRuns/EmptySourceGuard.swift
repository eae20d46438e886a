import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore

/// Refuses to commit a replay that read nothing from one of its sources, or fewer events than `--min-events`:
/// with `--rebuild` such a run would replace the window's rows with nothing (a mistyped prefix, an archive that
/// did not arrive). Checked inside the run's transaction, so the rebuild's deletions are rolled back with it.
/// Sources that list before reading are checked earlier still, before the database is opened (`Replay.run`).
final class EmptySourceGuard: CommitReview {
    let sources: [any IngestSource]
    let minEvents: Int
    let rebuild: Bool
    /// Say what a rebuild deletes just before it is committed (not for a dry run, which commits nothing).
    let announce: Bool
    let log: Log

    init(sources: [any IngestSource], minEvents: Int, rebuild: Bool, announce: Bool, log: Log) {
        self.sources = sources
        self.minEvents = minEvents
        self.rebuild = rebuild
        self.announce = announce
        self.log = log
    }

    func begin(store: Store) throws {}

    func shouldCommit(_ outcome: Pipeline.Outcome, store: Store) throws -> Bool {
        for (source, events) in zip(sources, outcome.eventsBySource) where events == 0 && source.skippedUnchanged == 0 {
            throw ClickstreamError(.source, "source \(source.name)", "no events in the window; nothing was changed. \(Self.hint(rebuild))")
        }
        let inWindow = outcome.stats.distinctNew + outcome.stats.duplicates
        if inWindow < minEvents {
            throw ClickstreamError(.source, "sources", "\(Plural.count(inWindow, "event")) read in the window, fewer than "
                + "--min-events \(minEvents); nothing was changed")
        }
        if rebuild && announce {
            log.info("--rebuild: \(Plural.count(outcome.writes.rowsDeleted, "row")) of the window's hours deleted and "
                + "\(Plural.count(outcome.writes.rowsWritten, "row")) written; committing", ["event": "rebuild_commit",
                "rows_deleted": outcome.writes.rowsDeleted, "rows_written": outcome.writes.rowsWritten])
        }
        return true
    }

    /// What to do when the emptiness is expected.
    static func hint(_ rebuild: Bool) -> String {
        rebuild ? "Use --allow-empty to clear the window" : "Use --allow-empty if an empty window is expected"
    }
}
