import ClickstreamCore
import ClickstreamStore
import Dispatch
import Foundation

/// Applies batches to the store on its own thread, one at a time, while the caller parses the next one. At most
/// one batch waits or is being written, which bounds memory to two batches. The first failure stops further
/// writes and is rethrown by the next `submit` or by `finish`.
///
/// SQLite has one writer, so the writer thread is kept to writing: the caller merges a batch's buffers and
/// aggregates every hour that provably has nothing stored — not in the store when the run began (after
/// `--rebuild`'s forgetting) and not in an earlier batch of this run — before handing it over. Only the other
/// hours, whose stored fingerprints must be read inside the run's transaction, are aggregated by the writer.
///
/// `drain()` must run on every path out of the transaction, errors included (`Pipeline` does it in a `defer`):
/// rolling back while a batch is still being applied on the same connection would race with it.
final class BatchWriter: @unchecked Sendable {
    // Why `@unchecked Sendable` is sound: the store, `context` and the mutable fields below are touched by the
    // writer queue only while a batch is in flight — from `slot.wait()` in `submit` to `slot.signal()` at the end
    // of the job — and by the caller only when no batch is in flight (after `slot.wait()` in `submit`/`drain`).
    // The semaphore orders every access; no two threads ever use the store at once.
    private let store: Store
    private let runId: Int64
    private let context = Store.RunContext(deferSessions: true)
    private let queue = DispatchQueue(label: "clickstream.writer")
    private let slot = DispatchSemaphore(value: 1)
    private var failure: (any Error)?
    private var writes = Store.WriteStats()
    private var stats = IngestStats()
    /// Hours with stored events when the run began; grows with every batch's hours.
    private var unavailable: Set<Int64>

    init(store: Store, runId: Int64, storedHours: Set<Int64>) {
        self.store = store
        self.runId = runId
        unavailable = storedHours
    }

    /// Hands a batch over (leaving it empty): its aggregates and its positions are written together. Waits while
    /// the previous batch is still being written.
    func submit(_ batch: inout SourceBatch) throws {
        var buffers = batch.buffers
        let positions = batch.positions
        batch = SourceBatch()
        // Ahead of the writer (overlapping the previous batch's write): merge, and aggregate the fresh hours.
        var merged = Aggregation()
        merged.absorb(&buffers)
        let aggregation = merged
        let fresh = aggregation.hours.filter { !unavailable.contains($0) }
        let precomputed = aggregation.aggregate(hours: fresh, existing: fresh.map { _ in [] })
        unavailable.formUnion(aggregation.hours)

        slot.wait()
        if let failure {
            slot.signal()
            throw failure
        }
        queue.async { [self] in
            defer { slot.signal() }
            var mark = Date()
            do {
                let (w, s) = try BatchApply.write(aggregation, positions: positions, precomputed: precomputed,
                                                  store: store, runId: runId, context: context)
                writes.add(w)
                stats.add(s)
                Trace.phase("applied batch", &mark)
            } catch {
                failure = error
            }
        }
    }

    /// Waits until no batch is in flight. Never throws: call it on every exit path. An empty block on the serial
    /// queue runs only once the previous job has run *and been released*, so no job still holds the store (whose
    /// last release closes the connection) when this returns.
    func drain() {
        queue.sync {}
    }

    /// Waits for the last batch, then writes the sessions every batch spilled (each once, merged); rethrows the
    /// first failure, else returns the totals written.
    func finish() throws -> (writes: Store.WriteStats, stats: IngestStats) {
        drain()
        if let failure { throw failure }
        var mark = Date()
        writes.add(try store.finishRun(context))
        Trace.phase("wrote sessions", &mark)
        return (writes, stats)
    }
}
