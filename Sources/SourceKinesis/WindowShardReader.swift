import AWSClient
import ClickstreamCodecs
import ClickstreamCore
import ClickstreamPipeline
import Foundation

/// How a window replay reads one shard: from `AT_TIMESTAMP(from)` (or after its position, once an iterator
/// expired) until a record arrived after `to` plus `lateArrivalSlack`, the shard is caught up, or it ended; each
/// GetRecords call paced to `maxReadFraction` of the per-shard limits (5 calls/s, 2 MB/s). A value shared by the
/// reader threads.
struct WindowShardReader: Sendable {
    let stream: String
    let maxReadFraction: Double
    let lateArrivalSlack: Int64
    let limit: Int
    /// A reader hands its buffer to the writer once it holds this many accepted events.
    let flushEvents: Int
    let counters = ShardReadCounters()

    /// Reads one shard into `buffer`, calling `flush` whenever the buffer is full. The shard's `position` follows
    /// the last record read, so an expired iterator resumes after it (`ShardState.resumeType`).
    func read(_ shard: ShardState, client: KinesisClient, window: Range<Int64>, plan: ShardPlan, decoder: inout KinesisRecordDecoder,
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
                counters.add(calls: 1)
                output = try client.getRecords(iterator: iterator, limit: limit, stream: stream, shardId: shard.id)
            } catch let error as AWSError where error.code == "ExpiredIteratorException" {
                counters.add(renewed: 1)
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
            counters.add(records: output.records.count)
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
}
