import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import Foundation
import SourceKinesis
import SourceLocal
import SourceS3

/// Recomputes the tables from one or more sources over a window: every source feeds the same aggregation core,
/// and the whole run (rebuild's forgetting included) commits in one transaction, so a failed or killed run leaves
/// the store as it was and is safe to re-run.
public final class Replay {
    public let options: ReplayOptions
    let log: Log
    /// Builds the adapter for a source URL (tests and the AWS layer plug theirs in here).
    public var makeSource: (SourceURL, ReplayOptions) throws -> any IngestSource

    public init(options: ReplayOptions, log: Log) {
        self.options = options
        self.log = log
        makeSource = Replay.defaultSource
    }

    public static func defaultSource(_ url: SourceURL, _ options: ReplayOptions) throws -> any IngestSource {
        switch url {
        case .local("-"):
            // Standard input, NDJSON: read whole, then parsed as one object named `-` (quarantine rows say `-:N`).
            return MemorySource(name: "-", objects: [.init(name: "-", bytes: Array(FileHandle.standardInput.readDataToEndOfFile()))])
        case .local(let path):
            do {
                return try LocalArchiveSource(path: path, workers: options.workers)
            } catch {
                throw ClickstreamError.wrapping(error, .source, "source \(path)")
            }
        case let .s3(bucket, prefix):
            let transport = try awsTransport(for: url)
            return S3ArchiveSource(bucket: bucket, prefix: prefix, client: S3Client(transport: transport),
                                   concurrency: options.concurrency, workers: options.workers)
        case let .kinesis(stream):
            let transport = try awsTransport(for: url)
            return KinesisWindowSource(stream: stream, client: KinesisClient(transport: transport),
                                       maxReadFraction: options.maxReadFraction, maxThrottleWait: options.maxThrottleWait)
        }
    }

    /// AWS settings from the environment; a configuration problem is exit 2, naming the source.
    static func awsTransport(for url: SourceURL) throws -> AWSTransport {
        let config: AWSConfig
        do {
            config = try AWSConfig.resolve().inRegion(ofARN: { if case let .kinesis(stream) = url { return stream } else { return "" } }())
            // The first fetch happens here, so that credentials nobody can provide are a configuration error
            // (exit 2) naming the provider, not a failed source.
            _ = try config.credentials.current()
        } catch {
            throw ClickstreamError(.configuration, "source \(url)", "\(error)")
        }
        do { return try AWSTransport(config: config) } catch {
            throw ClickstreamError.wrapping(error, .source, "source \(url)")
        }
    }

    /// AWS settings for a part uploaded to S3 (`--db s3://…`); a configuration problem is exit 2, naming it.
    public static func awsTransport(forDatabase url: String) throws -> AWSTransport {
        let config: AWSConfig
        do { config = try AWSConfig.resolve() } catch { throw ClickstreamError(.configuration, "--db \(url)", "\(error)") }
        do { return try AWSTransport(config: config) } catch { throw ClickstreamError.wrapping(error, .sink, "--db \(url)") }
    }

    public func run() throws -> ReplaySummary {
        let window = options.effectiveWindow
        let widened = window != options.window
        if widened {
            log.info("--rebuild works on whole hours: window widened to [\(Timestamp.instant(window.lowerBound)), \(Timestamp.instant(window.upperBound)))",
                     ["from": Timestamp.instant(window.lowerBound), "to": Timestamp.instant(window.upperBound)], event: "window_widened")
        }
        let sources = try options.sources.map { try makeSource($0, options) }
        for case let s3 as S3ArchiveSource in sources {
            let name = s3.name, log = log
            s3.listingProgress = { keys, calls in log.progress("listing \(name): \(Plural.count(keys, "key")), \(Plural.count(calls, "request"))") }
        }
        // Before anything is written: a missing archive, bucket or stream fails here.
        for s in sources {
            do { try s.prepare(window: window) } catch {
                throw ClickstreamError.wrapping(error, .source, "source \(s.name)")
            }
        }
        // A source that lists nothing for the window is refused before the database is even opened.
        if !options.allowEmpty, let empty = sources.first(where: { $0.listed?.objects == 0 }) {
            throw ClickstreamError(.source, "source \(empty.name)", "no objects under the window's hour prefixes; nothing was "
                + "changed. \(EmptySourceGuard.hint(options.rebuild))")
        }
        let writer = try WriterStore(path: options.databasePath, command: options.commandName,
                                     adoptForeign: options.adoptForeignDatabase)
        defer { withExtendedLifetime(writer) {} }
        if let partition = options.partition { try checkPartitionDatabase(writer.store, partition) }
        let run = try RunRecorder(store: writer.store, command: options.commandName, sources: options.sources.map(\.description),
                                  window: options.window, rebuild: options.rebuild)
        let pipeline = Pipeline(store: writer.store, runId: run.runId, policy: .wholeRun, databasePath: options.databasePath)
        let guardRail = options.allowEmpty ? nil : EmptySourceGuard(sources: sources, minEvents: options.minEvents,
                                                                     rebuild: options.rebuild, announce: !options.dryRun, log: log)
        let dryRun = options.dryRun ? DryRunDiff(window: window, next: guardRail) : nil
        pipeline.review = dryRun ?? guardRail
        let forgetting = options.rebuild ? window.lowerBound / 3_600_000 ..< window.upperBound / 3_600_000 : nil
        let stop = StopSignal()
        pipeline.stop = stop
        let signals = SignalWatch(stop, log: log) { "\($0): stopping; the run rolls back and nothing is changed" }
        let outcome: Pipeline.Outcome
        do {
            defer { withExtendedLifetime(signals) {} }
            outcome = try pipeline.run(sources, window: window, forgetting: forgetting, progress: RunProgress(log: log))
        } catch let e as ClickstreamError where e.kind == .interrupted {
            log.endProgress()
            run.interrupted()
            throw e
        } catch {
            log.endProgress()
            run.fail(error)
            throw error
        }
        log.endProgress()
        for case let k as KinesisWindowSource in sources {
            for r in k.shardReads {
                let secs = max(r.seconds, 0.001)
                log.info("\(k.name)/\(r.shard): \(Plural.count(r.calls, "GetRecords call")) (\(String(format: "%.1f", Double(r.calls) / secs))/s), "
                    + "\(String(format: "%.2f", Double(r.bytes) / 1_048_576 / secs)) MB/s, \(Plural.count(r.throttles, "throttle")) "
                    + "(\(String(format: "%.1f", r.waited)) s waited)",
                    ["stream": k.stream, "shard": r.shard, "calls": r.calls, "records": r.records, "bytes": r.bytes,
                     "calls_per_second": Double(r.calls) / secs, "mb_per_second": Double(r.bytes) / 1_048_576 / secs,
                     "throttles": r.throttles, "throttle_wait_seconds": r.waited], event: "shard_read")
            }
        }
        let seconds = run.seconds
        try run.finish(stats: outcome.stats, rowsWritten: outcome.committed ? outcome.writes.rowsWritten : 0,
                       note: outcome.committed ? nil : "dry run: nothing was committed")
        if let partition = options.partition, outcome.committed {
            do { try writer.store.writePartitionManifest(partition) } catch {
                throw ClickstreamError.wrapping(error, .database, "database \(options.databasePath)")
            }
        }
        var summary = ReplaySummary(runId: run.runId, window: window, widened: widened, stats: outcome.stats,
                                    writes: outcome.writes, seconds: seconds, databasePath: options.databasePath)
        summary.skippedUnchanged = sources.reduce(0) { $0 + $1.skippedUnchanged }
        summary.dryRun = dryRun?.changes
        return summary
    }

    /// A part's database holds one partition of one backfill: a database that already records another is refused
    /// before anything is written, so two partitions never share a file by mistake.
    func checkPartitionDatabase(_ store: Store, _ partition: PartitionManifest) throws {
        let existing: PartitionManifest?
        do { existing = try store.partitionManifest() } catch {
            throw ClickstreamError.wrapping(error, .database, "database \(options.databasePath)")
        }
        if let existing, existing != partition {
            throw ClickstreamError(.usage, "database \(options.databasePath)", "already holds partition \(existing.index)/\(existing.count) "
                + "of [\(Timestamp.instant(existing.window.lowerBound)), \(Timestamp.instant(existing.window.upperBound))) from "
                + existing.sources.joined(separator: " ") + ": give each partition its own --db")
        }
    }
}
