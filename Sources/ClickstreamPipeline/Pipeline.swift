import ClickstreamCore
import ClickstreamStore
import Foundation

/// The one path from sources to committed rows, for every command that ingests. Sources deliver batches
/// (`IngestSource`); the pipeline aggregates them and commits their rows together with the positions they cover,
/// then acknowledges the positions to their source. Replay and stream differ only in the commit policy.
public final class Pipeline {
    public enum CommitPolicy: Sendable {
        /// One transaction for the whole run (`--rebuild`'s forgetting included): a failed or killed run changes
        /// nothing. Parsing the next batch overlaps with writing the previous one (`BatchWriter`).
        case wholeRun
        /// One transaction per batch (a live stream): each batch's rows and checkpoints are durable together.
        case perBatch
    }

    /// What one committed batch of a `perBatch` run added.
    public struct Commit {
        public var stats: IngestStats
        public var writes: Store.WriteStats
        public var records: Int
        /// Anomalies the batch added or changed, sorted.
        public var anomalies: [Anomaly.Row]
    }

    /// The totals of a run.
    public struct Outcome {
        public var stats = IngestStats()
        public var writes = Store.WriteStats()
        public var records = 0
        /// Events each source delivered (in the order given), for the guard against an empty source.
        public var eventsBySource: [Int] = []
        /// False when `review` rolled the run back (a dry run).
        public var committed = true
    }

    let store: Store
    let runId: Int64
    let policy: CommitPolicy
    let databasePath: String
    /// Called after each commit of a `perBatch` run, on the reading thread.
    public var onCommit: ((Commit) -> Void)?
    /// Sees a `wholeRun` run inside its transaction: before anything is written, and once everything is written
    /// but not yet committed. It may refuse the commit (throw) or roll it back quietly (a dry run).
    public var review: (any CommitReview)?
    /// A whole run stops (rolled back, `interrupted`) at the next batch once this is raised.
    public var stop: StopSignal?

    public init(store: Store, runId: Int64, policy: CommitPolicy, databasePath: String) {
        self.store = store
        self.runId = runId
        self.policy = policy
        self.databasePath = databasePath
    }

    /// Reads every source in turn into the store. With `forgetting`, the run first forgets those whole hours
    /// (and which objects fed them), in the same transaction. Errors name the source or the database.
    public func run(_ sources: [any IngestSource], window: Range<Int64>, forgetting hours: Range<Int64>? = nil,
                    progress: RunProgress) throws -> Outcome {
        switch policy {
        case .wholeRun: return try runWhole(sources, window: window, forgetting: hours, progress: progress)
        case .perBatch: return try runPerBatch(sources, window: window, progress: progress)
        }
    }

    private func runWhole(_ sources: [any IngestSource], window: Range<Int64>, forgetting hours: Range<Int64>?,
                          progress: RunProgress) throws -> Outcome {
        var outcome = Outcome()
        outcome.eventsBySource = sources.map { _ in 0 }
        var delivered: [[SourcePosition]] = sources.map { _ in [] }
        var commitMark = Date()
        let committing: (() throws -> Void) throws -> Void = { commit in try progress.during("committing to SQLite…", commit) }
        do { try store.transaction(committing: committing) {
            try review?.begin(store: store)
            if let hours {
                outcome.writes.add(try database { try store.forget(hours: hours) })
                // Objects that fed the forgotten hours must be read again, not skipped as unchanged.
                _ = try database { try store.forgetObjects(window: window) }
                // Their quarantine rows too: what is still bad is quarantined again by this run.
                outcome.writes.add(try database { try store.forgetQuarantine(sources: sources.flatMap(\.quarantineSources)) })
            }
            let writer = BatchWriter(store: store, runId: runId, storedHours: try database { try store.storedHours() })
            // Never leave the transaction (commit or rollback) with a batch still being written.
            defer { writer.drain() }
            for (i, source) in sources.enumerated() {
                var mark = Date()
                try reading(source) {
                    try source.read(window: window, store: store, progress: progress) { batch in
                        try checkStop()
                        Trace.phase("parsed batch", &mark)
                        outcome.records += batch.records
                        outcome.eventsBySource[i] += batch.buffers.reduce(0) { $0 + $1.stats.documents }
                        delivered[i] += batch.positions
                        try writer.submit(&batch)
                    }
                }
            }
            try checkStop()
            progress.showTotals()
            let totals = try database { try progress.during("writing sessions and the last batches to SQLite…") { try writer.finish() } }
            outcome.writes.add(totals.writes)
            outcome.stats.add(totals.stats)
            if let review, try !database({ try review.shouldCommit(outcome, store: store) }) { throw RolledBack() }
            commitMark = Date()
        } } catch is RolledBack {
            outcome.committed = false
            return outcome
        }
        Trace.phase("commit", &commitMark)
        for (source, positions) in zip(sources, delivered) { source.committed(positions) }
        return outcome
    }

    private func runPerBatch(_ sources: [any IngestSource], window: Range<Int64>, progress: RunProgress) throws -> Outcome {
        var outcome = Outcome()
        for source in sources {
            try reading(source) {
                try source.read(window: window, store: store, progress: progress) { batch in
                    let commit = try database { try commitOne(&batch) }
                    source.committed(batch.positions)
                    outcome.stats.add(commit.stats)
                    outcome.writes.add(commit.writes)
                    outcome.records += commit.records
                    onCommit?(commit)
                }
            }
        }
        return outcome
    }

    /// One batch in one transaction, with the anomalies it added (read before and after, for alerts).
    private func commitOne(_ batch: inout SourceBatch) throws -> Commit {
        var aggregation = Aggregation()
        aggregation.absorb(&batch.buffers)
        let sessions = aggregation.sessions.count == 0 ? [] : (1...UInt32(aggregation.sessions.count)).map { aggregation.sessions.string(of: $0) }
        let positions = batch.positions
        return try store.transaction {
            let before = try store.anomalies(ofSessions: sessions)
            let (writes, stats) = try BatchApply.write(aggregation, positions: positions, precomputed: [:], store: store,
                                                       runId: runId, context: Store.RunContext())
            // New by identity: a minute that grows from 63 to 75 events changes its details, not its identity,
            // and is not alerted again.
            let known = Set(before.map(\.identity))
            let added = try store.anomalies(ofSessions: sessions).filter { !known.contains($0.identity) }
                .sorted { ($0.sessionId, $0.kind, $0.at) < ($1.sessionId, $1.kind, $1.at) }
            return Commit(stats: stats, writes: writes, records: batch.records, anomalies: added)
        }
    }

    /// A whole run asked to stop (SIGINT, SIGTERM) rolls back at the next batch: nothing half-done is committed.
    private func checkStop() throws {
        if stop?.isRaised == true {
            throw ClickstreamError(.interrupted, nil, "stopped by a signal before the commit; nothing was changed")
        }
    }

    /// Unwinds the transaction of a run its review chose not to commit.
    private struct RolledBack: Error {}

    /// Errors from a source's own reading name the source; the store's (also when they surface through `deliver`)
    /// name the database.
    private func reading(_ source: any IngestSource, _ body: () throws -> Void) throws {
        do { try body() } catch let e as ClickstreamError { throw e } catch let e as DatabaseError {
            throw ClickstreamError(.database, "database \(databasePath)", "\(e)")
        } catch {
            throw ClickstreamError(.source, "source \(source.name)", "\(error)")
        }
    }

    private func database<R>(_ body: () throws -> R) throws -> R {
        do { return try body() } catch let e as ClickstreamError { throw e } catch {
            throw ClickstreamError(.database, "database \(databasePath)", "\(error)")
        }
    }
}
