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
    let maxReadFraction: Double
    let lateArrivalSlack: Int64
    let readers: Int
    let limit: Int
    /// A worker hands its buffer to the writer once it holds this many accepted events.
    let flushEvents: Int

    public private(set) var shards: [KinesisShard] = []
    private let stats = Counters()
    /// GetRecords calls made by the last read.
    public var getRecordsCalls: Int { stats.value(\.calls) }
    /// Records (KPL aggregates count once) read by the last read.
    public var recordsRead: Int { stats.value(\.records) }
    /// Iterators re-acquired after `ExpiredIteratorException`.
    public var iteratorsRenewed: Int { stats.value(\.renewed) }
    /// Shard ids in the order their reading started.
    public var shardOrder: [String] { stats.order }

    public init(stream: String, client: KinesisClient, maxReadFraction: Double = 1, lateArrivalSlack: Int64 = 300_000,
                readers: Int = 8, limit: Int = 10_000, flushEvents: Int = 500_000) {
        self.stream = stream
        name = "kinesis://\(stream)"
        self.client = client
        self.maxReadFraction = min(1, max(0.001, maxReadFraction))
        self.lateArrivalSlack = lateArrivalSlack
        self.readers = max(1, readers)
        self.limit = limit
        self.flushEvents = flushEvents
    }

    public func prepare(window: Range<Int64>) throws {
        shards = try client.listShards(stream)
    }

    public func read(window: Range<Int64>, store: Store, progress: RunProgress, deliver: (inout SourceBatch) throws -> Void) throws {
        let start = KinesisShardIteratorType.atTimestamp(Date(timeIntervalSince1970: Double(window.lowerBound) / 1000))
        let plan = ShardPlan(shards, start: start)
        let out = BlockingQueue<IngestBuffer>(capacity: 4)
        let n = min(readers, max(1, shards.count))
        let group = DispatchGroup()
        let remaining = Counters()
        remaining.add(\.calls, n)
        for _ in 0..<n {
            // One transport per reader: a transport serialises its calls.
            let transport = try AWSTransport(config: client.transport.config, retryPolicy: client.transport.retryPolicy,
                                             httpConfiguration: client.transport.http.configuration,
                                             counters: client.transport.counters)
            let reader = KinesisClient(transport: transport)
            DispatchQueue.global().async(group: group) { [self] in
                var buffer = IngestBuffer(window: window)
                var decoder = KinesisRecordDecoder()
                while let shard = plan.next() {
                    stats.started(shard.id)
                    do {
                        try readShard(shard, client: reader, window: window, plan: plan, decoder: &decoder, buffer: &buffer, progress: progress) { full in
                            out.push(full)
                            full = IngestBuffer(window: window)
                        }
                        plan.done(shard)
                    } catch {
                        plan.fail(error)
                    }
                }
                if !buffer.isEmpty || buffer.stats.documents > 0 { out.push(buffer) }
                if remaining.add(\.calls, -1) == 0 { out.close() }
            }
        }
        var emitFailure: Error? = nil
        while let buffer = out.pop() {
            guard emitFailure == nil else { continue }
            var batch = SourceBatch(buffers: [buffer])
            do { try deliver(&batch) } catch {
                emitFailure = error
                plan.fail(error)
            }
        }
        group.wait()
        if let emitFailure { throw emitFailure }
        if let failure = plan.firstFailure { throw failure }
    }

    /// Reads one shard into `buffer`, calling `flush` whenever the buffer is full. The shard's `position` follows
    /// the last record read, so an expired iterator resumes after it (`ShardState.resumeType`).
    func readShard(_ shard: ShardState, client: KinesisClient, window: Range<Int64>, plan: ShardPlan, decoder: inout KinesisRecordDecoder,
                   buffer: inout IngestBuffer, progress: RunProgress, flush: (inout IngestBuffer) -> Void) throws {
        let source = "kinesis://\(stream)/\(shard.id)"
        var iterator = try client.getShardIterator(stream: stream, shardId: shard.id, type: shard.resumeType)
        var relisted = false
        let stopArrival = Double(window.upperBound + lateArrivalSlack) / 1000
        let minInterval = 1 / (5 * maxReadFraction)
        let bytesPerSecond = 2_097_152 * maxReadFraction
        var nextCall = Date.distantPast
        while !plan.isCancelled {
            let wait = nextCall.timeIntervalSinceNow
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            let called = Date()
            let output: KinesisGetRecordsOutput
            do {
                stats.add(\.calls, 1)
                output = try client.getRecords(iterator: iterator, limit: limit, stream: stream, shardId: shard.id)
            } catch let error as AWSError where error.code == "ExpiredIteratorException" {
                stats.add(\.renewed, 1)
                iterator = try client.getShardIterator(stream: stream, shardId: shard.id, type: shard.resumeType)
                continue
            }
            var bytes = 0
            var passed = false
            let before = buffer.stats.documents
            for record in output.records {
                bytes += record.data.count
                decoder.ingest(record.data, source: source, sequenceNumber: record.sequenceNumber, into: &buffer)
                shard.position = record.sequenceNumber
                if record.approximateArrivalTimestamp >= stopArrival { passed = true }
            }
            stats.add(\.records, output.records.count)
            progress.advance(objects: output.records.count, documents: buffer.stats.documents - before, bytes: bytes)
            if buffer.records.count >= flushEvents { flush(&buffer) }
            nextCall = called.addingTimeInterval(max(minInterval, Double(bytes) / bytesPerSecond))
            if passed { return }
            if let end = shard.endingSequenceNumber, let l = shard.position, SequenceNumber.atLeast(l, end) {
                // moto may still route writes to a closed parent: learn its current end once before stopping.
                guard !relisted, let fresh = plan.relisted(try client.listShards(stream), shard: shard),
                      SequenceNumber.less(l, fresh) else { return }
                relisted = true
            }
            guard let next = output.nextShardIterator else { return }
            iterator = next
            if output.records.isEmpty && (output.millisBehindLatest ?? 0) == 0 { return }
        }
    }

    /// Thread-safe counters and the order shards started in.
    final class Counters: @unchecked Sendable {
        struct Values { var calls = 0, records = 0, renewed = 0 }
        private let lock = NSLock()
        private var values = Values()
        private(set) var order: [String] = []

        @discardableResult
        func add(_ key: WritableKeyPath<Values, Int>, _ n: Int) -> Int {
            lock.lock(); defer { lock.unlock() }
            values[keyPath: key] += n
            return values[keyPath: key]
        }

        func value(_ key: KeyPath<Values, Int>) -> Int {
            lock.lock(); defer { lock.unlock() }
            return values[keyPath: key]
        }

        func started(_ shardId: String) {
            lock.lock(); order.append(shardId); lock.unlock()
        }
    }
}
