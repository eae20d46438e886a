import ClickstreamCore
import ClickstreamStore
import Dispatch
import Foundation

/// Applies parsed chunks to the store on its own thread, one at a time, while the caller parses the next one.
/// At most one chunk waits or is being written, which bounds memory to two chunks. The first failure stops
/// further writes and is rethrown by the next `submit` or by `finish`.
///
/// SQLite has one writer, so the writer thread is kept to writing: the caller merges the chunk's buffers and
/// aggregates every hour that provably has nothing stored — not in the store when the run began (after
/// `--rebuild`'s forgetting) and not in an earlier chunk of this run — before handing it over. Only the other
/// hours, whose stored fingerprints must be read inside the run's transaction, are aggregated by the writer.
public final class ChunkWriter {
    private let store: Store
    private let runId: Int64
    private let context = Store.RunContext()
    private let queue = DispatchQueue(label: "clickstream.writer")
    private let slot = DispatchSemaphore(value: 1)
    private let group = DispatchGroup()
    private var failure: Error?
    public private(set) var writes = Store.WriteStats()
    public private(set) var stats = IngestStats()

    /// Hours with stored events when the run began; grows with every chunk's hours.
    private var unavailable: Set<Int64>

    public init(store: Store, runId: Int64, storedHours: Set<Int64>) {
        self.store = store
        self.runId = runId
        unavailable = storedHours
    }

    /// Hands `buffers` over (leaving them empty); waits while the previous chunk is still being written.
    public func submit(_ buffers: inout [IngestBuffer]) throws {
        var chunk = ReplayChunk(buffers: buffers)
        buffers = []
        try submit(&chunk)
    }

    /// Hands a chunk over (leaving it empty): its aggregates and its manifest rows are written together.
    public func submit(_ replayChunk: inout ReplayChunk) throws {
        var buffers = replayChunk.buffers
        let objects = replayChunk.objects
        replayChunk = ReplayChunk(buffers: [])
        // Ahead of the writer (overlapping the previous chunk's write): merge, and aggregate the fresh hours.
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
        queue.async(group: group) { [self] in
            defer { slot.signal() }
            var mark = Date()
            do {
                let (w, s) = try store.apply(aggregation, runId: runId, context: context, precomputed: precomputed)
                try store.recordObjects(objects, runId: runId)
                writes.add(w)
                stats.add(s)
                Trace.phase("applied chunk", &mark)
            } catch {
                failure = error
            }
        }
    }

    /// Waits for the last chunk; rethrows the first failure.
    public func finish() throws {
        group.wait()
        if let failure { throw failure }
    }
}
