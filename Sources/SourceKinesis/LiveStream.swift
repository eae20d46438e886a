import ClickstreamCodecs
import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import Foundation
import SourceKinesis
import SourceLocal
import SourceS3

/// A long-running consumer of a Kinesis stream's live shards that keeps the store current, exactly.
///
/// One multiplexed loop polls every readable shard (GetRecords for all due shards in flight at once, each shard at
/// most 5 calls/s, slowing to `maxPollInterval` when idle, backing off on throttling and errors), feeds every
/// record through `KinesisRecordDecoder` into one aggregation, and commits each batch's aggregates together with
/// the shards' new sequence numbers in one SQLite transaction. A SIGKILL at any point therefore leaves either the
/// batch and its checkpoints or neither; a restart resumes AFTER_SEQUENCE_NUMBER from the checkpoints and the
/// stored fingerprints absorb whatever is read twice.
///
/// Resharding: a closed parent is read to its end (confirmed by a fresh ListShards) before its children start,
/// children without a checkpoint start at TRIM_HORIZON, and ListShards runs every `listInterval` seconds.
///
/// `run()` returns after SIGINT/SIGTERM or `requestStop()`, once the in-flight batch is committed.
public final class LiveStream {
    public let options: StreamOptions
    let log: Log
    let environment: [String: String]
    /// Replaces the AWS client (tests inject faults here). Built from `environment` when nil.
    public var client: StreamShardClient?

    private let stopLock = NSLock()
    private var stopRequested = false
    private var shards: [String: ShardState] = [:]
    private var decoder = KinesisRecordDecoder()
    private var nextListAt = Date.distantPast
    private var relistSoon = false
    private var listFailures = 0
    private var store: Store!
    private var runId: Int64 = 0
    private var alerts: AnomalyAlerts!
    private let status = StreamStatus()

    public init(options: StreamOptions, log: Log, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.options = options
        self.log = log
        self.environment = environment
    }

    /// Asks `run()` to finish its in-flight batch, commit and return. Safe from any thread.
    public func requestStop() {
        stopLock.lock()
        stopRequested = true
        stopLock.unlock()
    }

    var stopping: Bool {
        stopLock.lock()
        defer { stopLock.unlock() }
        return stopRequested
    }

    var source: String { "kinesis://\(options.stream)" }

    public func run() throws {
        let started = Date()
        let writer = try WriterStore(path: options.databasePath, command: "stream \(source)")
        defer { withExtendedLifetime(writer) {} }
        store = writer.store
        let kinesis: StreamShardClient
        if let client {
            kinesis = client
        } else {
            do {
                let config = try AWSConfig.resolve(environment: environment)
                // Few transport-level retries: the loop backs off per shard, and a stop must not wait on retries.
                kinesis = KinesisClient(transport: try AWSTransport(config: config, retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.1, maxDelay: 1)))
            } catch {
                throw ClickstreamError(.configuration, "AWS configuration", "\(error)")
            }
        }
        alerts = AnomalyAlerts(command: options.alertCommand, stream: options.stream, log: log)

        let signals = installSignalHandlers()
        defer {
            for s in signals { s.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }

        runId = try store.beginRun(.init(command: "stream", sources: [source], window: nil, rebuild: false), nowMs: Clock.nowMs())
        do {
            try refreshShards(kinesis, initial: true)
        } catch let e as ClickstreamError {
            try? finish(started, status: "failed", message: e.description)
            throw e
        } catch {
            let e = ClickstreamError(.source, "stream \(options.stream)", "\(error)")
            try? finish(started, status: "failed", message: e.description)
            throw e
        }
        log.info("streaming \(source) into \(options.databasePath): \(shards.count) shard(s), "
                 + shards.values.sorted { $0.id < $1.id }.map { "\($0.id) from \(Self.describe($0.resumeType))" }.joined(separator: ", "),
                 ["stream": options.stream, "shards": shards.count])
        do {
            while !stopping {
                try cycle(kinesis)
                printStatusIfDue()
            }
        } catch {
            alerts.wait(seconds: 5)
            let message = "\(error)"
            try? finish(started, status: "failed", message: message)
            throw ClickstreamError.wrapping(error, .source, "stream \(options.stream)")
        }
        alerts.wait(seconds: 5)
        try finish(started, status: "ok", message: "stopped")
        log.info("stopped: \(status.summary(seconds: Date().timeIntervalSince(started)))", status.fields)
    }

    private func finish(_ started: Date, status runStatus: String, message: String?) throws {
        try store.finishRun(runId, status: runStatus, stats: status.ingest, rowsWritten: status.rowsWritten,
                            seconds: Date().timeIntervalSince(started), message: message, nowMs: Clock.nowMs())
    }

    private func installSignalHandlers() -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                if !self.stopping { self.log.info("signal \(sig == SIGINT ? "SIGINT" : "SIGTERM"): finishing the batch in flight") }
                self.requestStop()
            }
            source.resume()
            return source
        }
    }

    // MARK: shards

    /// Re-reads the shard list: adds new shards, updates closed ones, confirms drained parents.
    private func refreshShards(_ kinesis: StreamShardClient, initial: Bool) throws {
        let listed = try kinesis.listShards(options.stream, maxResults: 10_000)
        let checkpoints = initial ? try store.checkpoints(stream: options.stream) : [:]
        let listedIds = Set(listed.map(\.shardId))
        for s in shards.values where !listedIds.contains(s.id) && s.listed {
            s.listed = false
            log.info("shard \(s.id) is no longer listed (past retention)", ["shard": s.id])
        }
        for l in listed {
            let parents = [l.parentShardId, l.adjacentParentShardId].compactMap { $0 }
            if let s = shards[l.shardId] {
                if s.endingSequenceNumber == nil, l.endingSequenceNumber != nil {
                    log.info("shard \(s.id) was closed by a reshard (ending sequence \(l.endingSequenceNumber!))", ["shard": s.id])
                }
                s.endingSequenceNumber = l.endingSequenceNumber
                if let c = s.endCandidate, let ending = l.endingSequenceNumber, !s.reachedEnd {
                    let position = s.checkpoint ?? "0"
                    if SequenceNumber.atLeast(position, ending) || (c.byEmptyRead && ending == c.ending) {
                        s.reachedEnd = true
                        log.info("shard \(s.id) drained to its end; its children may start", ["shard": s.id])
                    }
                    s.endCandidate = nil
                }
                continue
            }
            let checkpoint = checkpoints[l.shardId]?.sequenceNumber
            // A child seen while running (or whose parent was read before) starts at its beginning; shards found at
            // startup with nothing read before follow --start.
            // At startup a parent only counts as read when it has a checkpoint (it was just listed, not read).
            let parentsRead = parents.contains { checkpoints[$0] != nil || (!initial && shards[$0] != nil) }
            let start: KinesisShardIteratorType = (initial && !parentsRead) ? Self.iteratorType(options.start) : .trimHorizon
            let s = ShardState(id: l.shardId, parents: parents, endingSequenceNumber: l.endingSequenceNumber,
                               checkpoint: checkpoint, startType: start, pollInterval: options.minPollInterval)
            if initial, checkpoint == nil, l.endingSequenceNumber != nil, options.start == .latest {
                s.reachedEnd = true  // nothing comes after LATEST in a closed shard
            }
            shards[l.shardId] = s
            if !initial { log.info("new shard \(l.shardId)" + (parents.isEmpty ? "" : " (child of \(parents.joined(separator: " and ")))"), ["shard": l.shardId]) }
        }
        nextListAt = Date(timeIntervalSinceNow: options.listInterval)
        relistSoon = false
    }

    /// A shard is read once its parents (still listed) are drained; one with a checkpoint was started before.
    private func readable(_ s: ShardState) -> Bool {
        guard !s.finished, s.listed else { return false }
        if s.checkpoint != nil { return true }
        return s.parents.allSatisfy { p in shards[p].map { $0.reachedEnd || !$0.listed } ?? true }
    }

    // MARK: the loop

    private func cycle(_ kinesis: StreamShardClient) throws {
        var now = Date()
        if now >= nextListAt || relistSoon {
            do {
                try refreshShards(kinesis, initial: false)
                listFailures = 0
            } catch {
                listFailures += 1
                let backoff = min(0.5 * pow(2, Double(listFailures)), 30)
                log.warn("ListShards failed (\(listFailures)x, retrying in \(String(format: "%.2f", backoff)) s): \(error)")
                nextListAt = Date(timeIntervalSinceNow: backoff)
                relistSoon = false
            }
        }
        let candidates = shards.values.filter(readable)
        let due = candidates.filter { $0.nextPollAt <= now }.sorted { $0.id < $1.id }
        if due.isEmpty {
            var wake = min(nextListAt, status.nextAt(interval: options.statusInterval))
            for s in candidates { wake = min(wake, s.nextPollAt) }
            let pause = min(max(wake.timeIntervalSince(now), 0.005), 0.05)
            Thread.sleep(forTimeInterval: pause)
            return
        }
        for s in due where s.iterator == nil {
            do {
                s.iterator = try kinesis.getShardIterator(stream: options.stream, shardId: s.id, type: s.resumeType)
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
        let source = self.source
        do {
            try kinesis.getRecords(ready.map { ($0.iterator!, options.stream, $0.id) }, limit: options.recordLimit,
                                   concurrency: ready.count) { i, result in
                let s = ready[i]
                switch result {
                case let .success(out):
                    s.consecutiveFailures = 0
                    s.lastError = nil
                    for r in out.records {
                        decoder.ingest(r.data, source: "\(source)/\(s.id)", sequenceNumber: r.sequenceNumber, into: &buffer)
                    }
                    records += out.records.count
                    s.iterator = out.nextShardIterator
                    s.millisBehind = out.millisBehindLatest
                    if let last = out.records.last { advanced.append((s, last.sequenceNumber)) }
                    // Busy shards are polled at the per-shard limit (5/s); idle ones back off to maxPollInterval.
                    s.pollInterval = out.records.isEmpty ? min(s.pollInterval * 2, options.maxPollInterval) : options.minPollInterval
                    s.nextPollAt = Date(timeIntervalSinceNow: s.pollInterval)
                    if out.nextShardIterator == nil {
                        drainedByNil.append(s)
                    } else if let ending = s.endingSequenceNumber, !s.reachedEnd {
                        let position = out.records.last?.sequenceNumber ?? s.checkpoint ?? "0"
                        if out.records.isEmpty || SequenceNumber.atLeast(position, ending) {
                            s.endCandidate = (out.records.isEmpty, ending)
                            relistSoon = true
                        }
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
        try commit(buffer, records: records, advanced: advanced, polled: ready, now: now)
        for s in drainedByNil {
            s.finished = true
            s.reachedEnd = true
            relistSoon = true
            log.info("shard \(s.id) is closed and fully read", ["shard": s.id])
        }
    }

    /// One transaction: the batch's aggregates, its shards' checkpoints, and refreshed lags.
    private func commit(_ buffer: IngestBuffer, records: Int, advanced: [(ShardState, String)], polled: [ShardState], now: Date) throws {
        let moved = Set(advanced.map { $0.0.id })
        let lagDue = polled.filter { $0.checkpoint != nil && now.timeIntervalSince($0.lagSavedAt) >= 2 && !moved.contains($0.id) }
        guard !buffer.isEmpty || !advanced.isEmpty || !lagDue.isEmpty else { return }
        var aggregation = Aggregation()
        var buffers = [buffer]
        aggregation.absorb(&buffers)
        let sessions = aggregation.sessions.count == 0 ? [] : (1...UInt32(aggregation.sessions.count)).map { aggregation.sessions.string(of: $0) }
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        var fresh: [Anomaly.Row] = []
        var writes = Store.WriteStats()
        var ingest = aggregation.stats
        do {
            try store.transaction {
                if !aggregation.hours.isEmpty || !aggregation.quarantine.isEmpty {
                    let before = try store.anomalies(ofSessions: sessions)
                    let (w, i) = try store.apply(aggregation, runId: runId, context: Store.RunContext())
                    writes = w
                    ingest = i
                    fresh = try store.anomalies(ofSessions: sessions).subtracting(before)
                        .sorted { ($0.sessionId, $0.kind, $0.at) < ($1.sessionId, $1.kind, $1.at) }
                }
                for (s, seq) in advanced {
                    try store.saveCheckpoint(stream: options.stream, shardId: s.id, sequenceNumber: seq,
                                             millisBehind: s.millisBehind.map(Int64.init), nowMs: nowMs)
                }
                for s in lagDue {
                    try store.updateCheckpointLag(stream: options.stream, shardId: s.id, millisBehind: s.millisBehind.map(Int64.init), nowMs: nowMs)
                }
            }
        } catch {
            throw ClickstreamError.wrapping(error, .database, "database \(options.databasePath)")
        }
        // Committed: only now do the in-memory positions move.
        for (s, seq) in advanced {
            s.checkpoint = seq
            s.lagSavedAt = now
        }
        for s in lagDue { s.lagSavedAt = now }
        if !buffer.isEmpty || !advanced.isEmpty { status.committed(records: records, ingest: ingest, writes: writes, at: now) }
        for a in fresh { alerts.report(a) }
    }

    private func failed(_ s: ShardState, _ error: Error) {
        let aws = error as? AWSError
        if aws?.code == "ExpiredIteratorException" {
            // Iterators live 5 minutes: take a new one from the committed checkpoint (within the 5 calls/s limit).
            log.info("shard \(s.id): iterator expired; re-acquiring it after the checkpoint \(s.checkpoint ?? "(none)")", ["shard": s.id])
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

    private func printStatusIfDue() {
        guard options.statusInterval > 0, Date() >= status.nextAt(interval: options.statusInterval) else { return }
        let line = status.line(shards: shards.values.filter { $0.listed }.sorted { $0.id < $1.id })
        log.info(line.text, line.fields)
    }

    // MARK: helpers

    static func iteratorType(_ start: StreamStart) -> KinesisShardIteratorType {
        switch start {
        case .latest: return .latest
        case .trimHorizon: return .trimHorizon
        case let .at(ms): return .atTimestamp(Date(timeIntervalSince1970: Double(ms) / 1000))
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
