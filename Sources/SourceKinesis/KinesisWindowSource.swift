import ClickstreamStore
import AWSClient
import ClickstreamCodecs
import ClickstreamCore
import ClickstreamPipeline
import Foundation

/// A Kinesis stream's retention window (`kinesis://stream`) read back for `[from, to)`.
///
/// Every shard, open or closed, is read from `AT_TIMESTAMP(from)` until one of: a record arrived after `to` plus
/// `lateArrivalSlack` (by `ApproximateArrivalTimestamp`), the shard is caught up (`MillisBehindLatest` 0 and no
/// records), or the shard ended (no next iterator, or its `EndingSequenceNumber` reached; moto never ends a closed
/// shard's iterator, so the listed ending is what counts, re-listed once since moto may still grow it). A child
/// shard starts only after its parents are done. Up to `readers` shards are read at once, each pacing its
/// GetRecords calls to `maxReadFraction` of the per-shard limits (5 calls/s, 2 MB/s). An expired iterator is
/// re-acquired `AFTER_SEQUENCE_NUMBER` of the last record read. Records are decoded by `KinesisRecordDecoder`;
/// events are kept by their own timestamp (the buffers' window).
public final class KinesisWindowSource: IngestSource {
    public let name: String
    public let stream: String
    public let client: KinesisClient
    let readers: Int
    /// How each shard is read (pacing, stop rules), shared by the reader threads.
    let shardReader: WindowShardReader

    public private(set) var shards: [KinesisShard] = []
    var stats: ShardReadCounters { shardReader.counters }
    /// GetRecords calls made by the last read.
    public var getRecordsCalls: Int { stats.current.calls }
    /// Records (KPL aggregates count once) read by the last read.
    public var recordsRead: Int { stats.current.records }
    /// Iterators re-acquired after `ExpiredIteratorException`.
    public var iteratorsRenewed: Int { stats.current.renewed }
    /// Shard ids in the order their reading started.
    public var shardOrder: [String] { stats.current.order }

    public init(stream: String, client: KinesisClient, maxReadFraction: Double = 1, lateArrivalSlack: Int64 = 300_000,
                readers: Int = 8, limit: Int = 10_000, flushEvents: Int = 500_000) {
        self.stream = stream
        name = "kinesis://\(stream)"
        self.client = client
        self.readers = max(1, readers)
        shardReader = WindowShardReader(stream: stream, maxReadFraction: min(1, max(0.001, maxReadFraction)),
                                        lateArrivalSlack: lateArrivalSlack, limit: limit, flushEvents: flushEvents)
    }

    public func prepare(window: Range<Int64>) throws {
        shards = try client.listShards(stream)
    }

    public func read(window: Range<Int64>, store: Store, progress: RunProgress, deliver: (inout SourceBatch) throws -> Void) throws {
        let start = KinesisShardIteratorType.atTimestamp(Date(timeIntervalSince1970: Double(window.lowerBound) / 1000))
        let plan = ShardPlan(shards, start: start)
        let out = BlockingQueue<IngestBuffer>(capacity: 4)
        let n = min(readers, max(1, shards.count))
        // One transport per reader: a transport serialises its calls.
        let clients = try (0..<n).map { _ in
            KinesisClient(transport: try AWSTransport(config: client.transport.config, retryPolicy: client.transport.retryPolicy,
                                                      httpConfiguration: client.transport.http.configuration,
                                                      counters: client.transport.counters))
        }
        let finishing = WorkIndex(1)
        let shardReader = self.shardReader
        let workers = WorkerThreads(n) { w in
            var buffer = IngestBuffer(window: window)
            var decoder = KinesisRecordDecoder()
            while let shard = plan.next() {
                shardReader.counters.started(shard.id)
                do {
                    try shardReader.read(shard, client: clients[w], window: window, plan: plan, decoder: &decoder, buffer: &buffer, progress: progress) { full in
                        out.push(full)
                        full = IngestBuffer(window: window)
                    }
                    plan.done(shard)
                } catch {
                    plan.fail(error)
                }
            }
            if !buffer.isEmpty || buffer.stats.documents > 0 { out.push(buffer) }
            if finishing.take() == n { out.close() }
        }
        var emitFailure: (any Error)? = nil
        while let buffer = out.pop() {
            guard emitFailure == nil else { continue }
            var batch = SourceBatch(buffers: [buffer])
            do { try deliver(&batch) } catch {
                emitFailure = error
                plan.fail(error)
            }
        }
        workers.wait()
        if let emitFailure { throw emitFailure }
        if let failure = plan.firstFailure { throw failure }
    }
}
