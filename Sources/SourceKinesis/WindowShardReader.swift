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
    /// Throttling waited out by every shard of the run, bounded (`--max-throttle-wait`).
    let allowance: ThrottleAllowance
    /// Consecutive `ExpiredIteratorException`s without a record read that end the shard's read: an iterator that
    /// expires before every call is not weather.
    static let maxExpiredInARow = 10

    /// Reads one shard into `buffer`, calling `flush` whenever the buffer is full. The shard's `position` follows
    /// the last record read, so an expired iterator resumes after it (`ShardState.resumeType`).
    func read(_ shard: ShardState, client: KinesisClient, window: Range<Int64>, plan: ShardPlan, decoder: inout KinesisRecordDecoder,
                   buffer: inout IngestBuffer, progress: RunProgress, flush: (inout IngestBuffer) -> Void) throws {
        let source = "kinesis://\(stream)/\(shard.id)"
        var iterator = try weathered(source) { try client.getShardIterator(stream: stream, shardId: shard.id, type: shard.resumeType) }
        var relisted = false
        let stopArrival = Double(window.upperBound + lateArrivalSlack) / 1000
        let minInterval = 1 / (5 * maxReadFraction)
        let bytesPerSecond = 2_097_152 * maxReadFraction
        var nextCall = Date.distantPast
        var throttledInARow = 0, expiredInARow = 0
        // Records per call, sized so one response stays within the byte budget of one call interval (a 10 MB
        // answer would throttle the shard for everyone, the Lambda included); learnt from the records' sizes.
        var averageRecord = 1024.0
        let began = Date()
        defer { counters.add(shard: shard.id, seconds: Date().timeIntervalSince(began)) }
        while !plan.isCancelled {
            let wait = nextCall.timeIntervalSinceNow
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            let called = Date()
            let output: KinesisGetRecordsOutput
            let callLimit = max(1, min(limit, Int(bytesPerSecond * minInterval / averageRecord)))
            do {
                counters.add(calls: 1)
                counters.add(shard: shard.id, calls: 1)
                output = try client.getRecords(iterator: iterator, limit: callLimit, stream: stream, shardId: shard.id)
            } catch let error as AWSError where error.code == "ExpiredIteratorException" {
                counters.add(renewed: 1)
                expiredInARow += 1
                guard expiredInARow < Self.maxExpiredInARow else {
                    throw ClickstreamError(.source, source, "the shard iterator expired \(expiredInARow) times in a row without a record read; "
                        + "giving up on this shard (is the clock or the network very slow?)")
                }
                Thread.sleep(forTimeInterval: ThrottleAllowance.delay(attempt: expiredInARow))
                iterator = try weathered(source) { try client.getShardIterator(stream: stream, shardId: shard.id, type: shard.resumeType) }
                nextCall = Date().addingTimeInterval(minInterval)
                continue
            } catch let error as AWSError where ThrottleAllowance.isWeather(error) {
                throttledInARow += 1
                try waitOut(error, attempt: throttledInARow, shard: shard.id, source: source)
                // The throttled call counted against the shard's limits: the next one keeps the pace too.
                nextCall = Date().addingTimeInterval(minInterval)
                continue
            }
            throttledInARow = 0
            if !output.records.isEmpty { expiredInARow = 0 }
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
            counters.add(shard: shard.id, records: output.records.count, bytes: bytes)
            if !output.records.isEmpty { averageRecord = max(64, Double(bytes) / Double(output.records.count)) }
            progress.advance(objects: output.records.count, documents: buffer.stats.documents - before, bytes: bytes)
            if buffer.records.count >= flushEvents { flush(&buffer) }
            nextCall = called.addingTimeInterval(max(minInterval, Double(bytes) / bytesPerSecond))
            if passed { return }
            if let end = shard.endingSequenceNumber, let l = shard.position, SequenceNumber.atLeast(l, end) {
                // moto may still route writes to a closed parent: learn its current end once before stopping.
                guard !relisted, let fresh = plan.relisted(try weathered(source) { try client.listShards(stream) }, shard: shard),
                      SequenceNumber.less(l, fresh) else { return }
                relisted = true
            }
            guard let next = output.nextShardIterator else { return }
            iterator = next
            if output.records.isEmpty && (output.millisBehindLatest ?? 0) == 0 { return }
        }
    }

    /// Sleeps a throttled call's backoff, taken from the run's allowance; past it, the shard's read fails.
    private func waitOut(_ error: AWSError, attempt: Int, shard: String, source: String) throws {
        let delay = ThrottleAllowance.delay(attempt: attempt)
        counters.add(shard: shard, throttles: 1, waited: delay)
        guard allowance.take(delay) else {
            throw ClickstreamError(.source, source, "still throttled after \(Int(allowance.total)) s of waiting in total "
                + "(--max-throttle-wait \(Int(allowance.limit)) s): \(error.code ?? "HTTP \(error.httpStatus ?? 0)")")
        }
        Thread.sleep(forTimeInterval: delay)
    }

    /// A call other than GetRecords (GetShardIterator, ListShards), with the same patience for weather.
    private func weathered<T>(_ source: String, _ call: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do { return try call() } catch let error as AWSError where ThrottleAllowance.isWeather(error) {
                attempt += 1
                try waitOut(error, attempt: attempt, shard: String(source.split(separator: "/").last ?? ""), source: source)
            }
        }
    }
}
