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

    /// Per shard: GetRecords calls, records, bytes, throttled calls and the seconds spent, for the summary.
    public var shardReads: [(shard: String, calls: Int, records: Int, bytes: Int, throttles: Int, waited: Double, seconds: Double)] {
        stats.current.shards.sorted { $0.key < $1.key }.map { ($0.key, $0.value.calls, $0.value.records, $0.value.bytes,
                                                             $0.value.throttles, $0.value.waited, $0.value.seconds) }
    }

    public init(stream: String, client: KinesisClient, maxReadFraction: Double = 0.5, lateArrivalSlack: Int64 = 300_000,
                readers: Int = 8, limit: Int = 10_000, flushEvents: Int = 500_000, maxThrottleWait: Double = 1800) {
        self.stream = stream
        name = "kinesis://\(stream)"
        self.client = client
        self.readers = max(1, readers)
        shardReader = WindowShardReader(stream: stream, maxReadFraction: min(1, max(0.001, maxReadFraction)),
                                        lateArrivalSlack: lateArrivalSlack, limit: limit, flushEvents: flushEvents,
                                        allowance: ThrottleAllowance(seconds: maxThrottleWait))
    }

    public func prepare(window: Range<Int64>) throws {
        shards = try client.listShards(stream)
    }

    public func read(window: Range<Int64>, store: Store, progress: RunProgress, deliver: (inout SourceBatch) throws -> Void) throws {
        let start = KinesisShardIteratorType.atTimestamp(Date(timeIntervalSince1970: Double(window.lowerBound) / 1000))
        let plan = ShardPlan(shards, start: start)
        let out = BlockingQueue<IngestBuffer>(capacity: 4)
        let n = min(readers, max(1, shards.count))
        // One transport per reader: a transport serialises its calls. No retries there: the readers wait
        // throttling out themselves, paced to the read budget (a retried call counts against the shard's limits
        // too), within --max-throttle-wait.
        let clients = try (0..<n).map { _ in
            KinesisClient(transport: try AWSTransport(config: client.transport.config, retryPolicy: RetryPolicy(maxAttempts: 1),
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
