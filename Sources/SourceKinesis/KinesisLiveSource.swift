import AWSClient
import ClickstreamCodecs
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import Foundation

/// A Kinesis stream's live shards as a source: delivers one batch per poll cycle until `stop` is raised.
///
/// One multiplexed loop polls every readable shard (GetRecords for all due shards in flight at once, each shard at
/// most `1 / minPollInterval` calls/s, slowing to `maxPollInterval` when idle, backing off on throttling and
/// errors) and decodes every record (`KinesisRecordDecoder`) into the batch, with each shard's last sequence number
/// as a `.shard` position — and `.shardLag` positions to refresh the lag of shards that read nothing. Positions move
/// only when the pipeline acknowledges them (`committed`), so with a per-batch commit a SIGKILL at any point leaves
/// either a batch and its checkpoints or neither; a restart resumes AFTER_SEQUENCE_NUMBER from the checkpoints.
///
/// Shards and their order are the `ShardCoordinator`'s: a closed parent is read to its end (confirmed by a fresh
/// ListShards) before its children start; children seen while running start at TRIM_HORIZON; shards without a
/// checkpoint at startup follow `--start`; ListShards runs every `listInterval` seconds.
public final class KinesisLiveSource: IngestSource {
    public let name: String
    public let options: StreamOptions
    let client: any StreamShardClient
    let log: Log
    /// Called once per loop turn (status lines); returns when it next wants to be called.
    public var tick: () -> Date = { .distantFuture }

    /// Raised (from any thread) to make `read` return after the batch in flight.
    public let stop: StopSignal
    public let coordinator: ShardCoordinator
    private var decoder = KinesisRecordDecoder()
    private var nextListAt = Date.distantPast
    private var relistSoon = false
    private var listFailures = 0

    public init(options: StreamOptions, client: any StreamShardClient, log: Log, stop: StopSignal = StopSignal()) {
        self.options = options
        self.stop = stop
        name = "kinesis://\(options.stream)"
        self.client = client
        self.log = log
        coordinator = ShardCoordinator(log: log)
    }

    /// Shards still listed, by id.
    public var listedShards: [ShardState] { coordinator.shards.values.filter(\.listed).sorted { $0.id < $1.id } }

    public func prepare(window: Range<Int64>) throws {}

    public func read(window: Range<Int64>, store: Store, progress: RunProgress, deliver: (inout SourceBatch) throws -> Void) throws {
        try checkIdentity(store)
        let checkpoints = try store.checkpoints(stream: options.stream).mapValues(\.sequenceNumber)
        do {
            try refreshShards(initial: true, checkpoints: checkpoints)
        } catch {
            throw ClickstreamError.wrapping(error, .source, "stream \(options.stream)")
        }
        log.info("streaming \(name) into \(options.databasePath): \(coordinator.shards.count) shard(s), "
                 + coordinator.shards.values.sorted { $0.id < $1.id }.map { "\($0.id) from \(Self.describe($0.resumeType))" }.joined(separator: ", "),
                 ["stream": options.stream, "shards": coordinator.shards.count])
        while !stop.isRaised {
            try cycle(deliver)
        }
    }

    /// Checkpoints belong to one stream, not to a name: a stream deleted and created again under the same name has
    /// new shards whose sequence numbers restart, so old checkpoints would skip (or never reach) its records. When
    /// the identity (ARN and creation time) changed, the old checkpoints are dropped and `--start` applies.
    private func checkIdentity(_ store: Store) throws {
        let current: String?
        do { current = try client.streamIdentity(options.stream) } catch {
            throw ClickstreamError.wrapping(error, .source, "stream \(options.stream)")
        }
        guard let current else { return }
        let known = try store.streamIdentity(options.stream)
        if known == current { return }
        try store.database.transaction {
            if let known, !(try store.checkpoints(stream: options.stream)).isEmpty {
                log.warn("stream \(options.stream) was re-created (now \(current), checkpoints were for \(known)): its old "
                         + "checkpoints are dropped and every shard starts from --start (\(Self.describe(options.start)))",
                         ["stream": options.stream, "identity": current, "previous": known], event: "stream_recreated")
                try store.forgetCheckpoints(stream: options.stream)
            }
            try store.setStreamIdentity(options.stream, current)
        }
    }

    /// Positions are durable: only now do the in-memory positions move.
    public func committed(_ positions: [SourcePosition]) {
        let now = Date()
        for p in positions {
            switch p {
            case let .shard(_, shardId, sequenceNumber, _):
                coordinator.shards[shardId]?.position = sequenceNumber
                coordinator.shards[shardId]?.lagSavedAt = now
            case let .shardLag(_, shardId, _):
                coordinator.shards[shardId]?.lagSavedAt = now
            case .object:
                break
            }
        }
    }

    // MARK: shards

    /// Re-reads the shard list: adds new shards, updates closed ones, confirms drained parents.
    private func refreshShards(initial: Bool, checkpoints: [String: String] = [:]) throws {
        let listing = try client.listShards(options.stream, maxResults: 10_000)
        let changes = coordinator.update(listing: listing, positions: checkpoints) { [coordinator, options] l in
            // A child seen while running (or whose parent was read before) starts at its beginning; shards found at
            // startup with nothing read before follow --start. At startup a parent only counts as read when it has
            // a checkpoint (it was just listed, not read).
            let parents = [l.parentShardId, l.adjacentParentShardId].compactMap { $0 }
            let parentsRead = parents.contains { checkpoints[$0] != nil || (!initial && coordinator.shards[$0] != nil) }
            return (initial && !parentsRead) ? Self.iteratorType(options.start) : .trimHorizon
        }
        for s in changes.added {
            s.pollInterval = options.minPollInterval
            if initial, s.position == nil, s.isClosed, options.start == .latest {
                coordinator.drained(s)  // nothing comes after LATEST in a closed shard
            }
            if !initial {
                log.info("new shard \(s.id)" + (s.parents.isEmpty ? "" : " (child of \(s.parents.joined(separator: " and ")))"), ["shard": s.id])
            }
        }
        nextListAt = Date(timeIntervalSinceNow: options.listInterval)
        relistSoon = false
    }

    // MARK: the loop

    private func cycle(_ deliver: (inout SourceBatch) throws -> Void) throws {
        var now = Date()
        let wakeForStatus = tick()
        if now >= nextListAt || relistSoon {
            do {
                try refreshShards(initial: false)
                listFailures = 0
            } catch {
                listFailures += 1
                let backoff = min(0.5 * pow(2, Double(listFailures)), 30)
                log.warn("ListShards failed (\(listFailures)x, retrying in \(String(format: "%.2f", backoff)) s): \(error)")
                nextListAt = Date(timeIntervalSinceNow: backoff)
                relistSoon = false
            }
        }
        let candidates = coordinator.shards.values.filter(coordinator.isReadable)
        let due = candidates.filter { $0.nextPollAt <= now }.sorted { $0.id < $1.id }
        if due.isEmpty {
            var wake = min(nextListAt, wakeForStatus)
            for s in candidates { wake = min(wake, s.nextPollAt) }
            let pause = min(max(wake.timeIntervalSince(now), 0.005), 0.05)
            Thread.sleep(forTimeInterval: pause)
            return
        }
        for s in due where s.iterator == nil {
            do {
                s.iterator = try client.getShardIterator(stream: options.stream, shardId: s.id, type: s.resumeType)
            } catch {
                failed(s, error)
            }
        }
        let ready = due.filter { $0.iterator != nil }
        guard !ready.isEmpty else { return }

        var buffer = IngestBuffer(window: Int64.min..<Int64.max)
        var advanced: [(ShardState, String)] = []
        var drainedByNil: [ShardState] = []
        var records = 0
        do {
            try client.getRecords(ready.map { ($0.iterator!, options.stream, $0.id) }, limit: options.recordLimit,
                                  concurrency: ready.count) { i, result in
                let s = ready[i]
                switch result {
                case let .success(out):
                    s.calls += 1
                    s.recordsRead += out.records.count
                    s.bytesRead += out.records.reduce(0) { $0 + $1.data.count }
                    s.consecutiveFailures = 0
                    s.lastError = nil
                    for r in out.records {
                        decoder.ingest(r.data, source: "\(name)/\(s.id)", sequenceNumber: r.sequenceNumber, into: &buffer)
                    }
                    records += out.records.count
                    s.iterator = out.nextShardIterator
                    s.millisBehind = out.millisBehindLatest
                    if let last = out.records.last { advanced.append((s, last.sequenceNumber)) }
                    // Busy shards are polled at the per-shard limit; idle ones back off to maxPollInterval.
                    s.pollInterval = out.records.isEmpty ? min(s.pollInterval * 2, options.maxPollInterval) : options.minPollInterval
                    s.nextPollAt = Date(timeIntervalSinceNow: s.pollInterval)
                    if out.nextShardIterator == nil {
                        drainedByNil.append(s)
                    } else if coordinator.readReachedEnd(s, lastRead: out.records.last?.sequenceNumber, emptyRead: out.records.isEmpty) {
                        relistSoon = true
                    }
                case let .failure(error):
                    failed(s, error)
                }
            }
        } catch {
            for s in ready { failed(s, error) }
            return
        }
        now = Date()
        // One batch: the records' events, every advanced shard's checkpoint, and lags due for a refresh.
        let moved = Set(advanced.map { $0.0.id })
        let lagDue = ready.filter { $0.position != nil && now.timeIntervalSince($0.lagSavedAt) >= 2 && !moved.contains($0.id) }
        var batch = SourceBatch(buffers: [buffer], records: records)
        batch.positions = advanced.map { s, seq in
            .shard(stream: options.stream, shardId: s.id, sequenceNumber: seq, millisBehind: s.millisBehind.map(Int64.init))
        } + lagDue.map { .shardLag(stream: options.stream, shardId: $0.id, millisBehind: $0.millisBehind.map(Int64.init)) }
        if !batch.isEmpty { try deliver(&batch) }
        for s in drainedByNil {
            coordinator.finished(s)
            relistSoon = true
        }
    }

    private func failed(_ s: ShardState, _ error: any Error) {
        let aws = error as? AWSError
        s.calls += 1
        if aws?.isThrottling == true { s.throttles += 1 }
        if aws?.code == "ExpiredIteratorException" {
            // Iterators live 5 minutes: take a new one after the committed position (within the per-shard call limit).
            log.info("shard \(s.id): iterator expired; re-acquiring it after the checkpoint \(s.position ?? "(none)")", ["shard": s.id])
            s.iterator = nil
            s.nextPollAt = Date(timeIntervalSinceNow: options.minPollInterval)
            return
        }
        if aws?.code == "ResourceNotFoundException" { relistSoon = true }
        s.consecutiveFailures += 1
        s.lastError = aws.map { "\($0.code ?? "HTTP \($0.httpStatus.map(String.init) ?? "-")"): \($0.message)" } ?? "\(error)"
        let throttled = aws?.isThrottling ?? false
        let backoff = min((throttled ? 0.5 : 0.25) * pow(2, Double(s.consecutiveFailures - 1)), throttled ? 10 : 30)
        s.nextPollAt = Date(timeIntervalSinceNow: backoff)
        if aws?.code == "InvalidArgumentException" { s.iterator = nil }  // a bad iterator: take a fresh one
        let text = "shard \(s.id): \(throttled ? "throttled" : "error") (\(s.consecutiveFailures)x in a row, retrying in \(String(format: "%.2f", backoff)) s): \(error)"
        if s.consecutiveFailures >= options.failureReportThreshold {
            log.error("shard \(s.id) keeps failing; " + text, ["shard": s.id, "failures": s.consecutiveFailures])
        } else {
            log.warn(text, ["shard": s.id, "failures": s.consecutiveFailures])
        }
    }

    // MARK: helpers

    static func iteratorType(_ start: StreamStart) -> KinesisShardIteratorType {
        switch start {
        case .latest: return .latest
        case .trimHorizon: return .trimHorizon
        case let .at(ms): return .atTimestamp(Date(timeIntervalSince1970: Double(ms) / 1000))
        }
    }

    static func describe(_ start: StreamStart) -> String {
        switch start {
        case .latest: return "latest"
        case .trimHorizon: return "trim-horizon"
        case let .at(ms): return Timestamp.instant(ms)
        }
    }

    static func describe(_ t: KinesisShardIteratorType) -> String {
        switch t {
        case .latest: return "LATEST"
        case .trimHorizon: return "TRIM_HORIZON"
        case let .atTimestamp(d): return "AT_TIMESTAMP \(Timestamp.instant(Int64(d.timeIntervalSince1970 * 1000)))"
        case let .afterSequenceNumber(n): return "AFTER_SEQUENCE_NUMBER \(n)"
        case let .atSequenceNumber(n): return "AT_SEQUENCE_NUMBER \(n)"
        }
    }
}
