import ClickstreamCore
import ClickstreamStore

/// Writing one batch: its aggregates and then its positions, inside the caller's transaction. The writer thread
/// of a whole-run replay and the per-batch commit of a live stream both write through here, so a batch's rows and
/// the positions it covers can never be written apart.
enum BatchApply {
    static func write(_ aggregation: Aggregation, positions: [SourcePosition], precomputed: [Int64: HourAggregate],
                      store: Store, runId: Int64, context: Store.RunContext) throws -> (Store.WriteStats, IngestStats) {
        var result = (Store.WriteStats(), aggregation.stats)
        if !aggregation.hours.isEmpty || !aggregation.quarantine.isEmpty {
            result = try store.apply(aggregation, runId: runId, context: context, precomputed: precomputed)
        }
        try record(positions, store: store, runId: runId)
        return result
    }

    static func record(_ positions: [SourcePosition], store: Store, runId: Int64) throws {
        var objects: [Store.ObjectManifestEntry] = []
        let nowMs = Clock.nowMs()
        for p in positions {
            switch p {
            case .object(let entry):
                objects.append(entry)
            case let .shard(stream, shardId, sequenceNumber, millisBehind):
                try store.saveCheckpoint(stream: stream, shardId: shardId, sequenceNumber: sequenceNumber,
                                         millisBehind: millisBehind, nowMs: nowMs)
            case let .shardLag(stream, shardId, millisBehind):
                try store.updateCheckpointLag(stream: stream, shardId: shardId, millisBehind: millisBehind, nowMs: nowMs)
            }
        }
        if !objects.isEmpty { try store.recordObjects(objects, runId: runId) }
    }
}
