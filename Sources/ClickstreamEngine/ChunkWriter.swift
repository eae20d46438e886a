import ClickstreamCore
import ClickstreamStore
import Dispatch
import Foundation

/// Applies parsed chunks to the store on its own thread, one at a time, while the caller parses the next one.
/// At most one chunk waits or is being written, which bounds memory to two chunks. The first failure stops
/// further writes and is rethrown by the next `submit` or by `finish`.
final class ChunkWriter {
    private let store: Store
    private let runId: Int64
    private let context = Store.RunContext()
    private let queue = DispatchQueue(label: "clickstream.writer")
    private let slot = DispatchSemaphore(value: 1)
    private let group = DispatchGroup()
    private var failure: Error?
    private(set) var writes = Store.WriteStats()
    private(set) var stats = IngestStats()

    init(store: Store, runId: Int64) {
        self.store = store
        self.runId = runId
    }

    /// Hands `buffers` over (leaving them empty); waits while the previous chunk is still being written.
    func submit(_ buffers: inout [IngestBuffer]) throws {
        var chunk = ReplayChunk(buffers: buffers)
        buffers = []
        try submit(&chunk)
    }

    /// Hands a chunk over (leaving it empty): its aggregates and its manifest rows are written together.
    func submit(_ replayChunk: inout ReplayChunk) throws {
        slot.wait()
        if let failure {
            slot.signal()
            throw failure
        }
        let chunk = replayChunk.buffers
        let objects = replayChunk.objects
        replayChunk = ReplayChunk(buffers: [])
        queue.async(group: group) { [self] in
            defer { slot.signal() }
            var chunk = chunk
            var mark = Date()
            do {
                var aggregation = Aggregation()
                aggregation.absorb(&chunk)
                let (w, s) = try store.apply(aggregation, runId: runId, context: context)
                try store.recordObjects(objects, runId: runId)
                writes.add(w)
                stats.add(s)
                Replay.trace("applied chunk", &mark)
            } catch {
                failure = error
            }
        }
    }

    /// Waits for the last chunk; rethrows the first failure.
    func finish() throws {
        group.wait()
        if let failure { throw failure }
    }
}
