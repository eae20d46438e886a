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
    public var makeSource: (SourceURL, ReplayOptions) throws -> ReplaySource

    public init(options: ReplayOptions, log: Log) {
        self.options = options
        self.log = log
        makeSource = Replay.defaultSource
    }

    public static func defaultSource(_ url: SourceURL, _ options: ReplayOptions) throws -> ReplaySource {
        switch url {
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
                                       maxReadFraction: options.maxReadFraction)
        }
    }

    /// AWS settings from the environment; a configuration problem is exit 2, naming the source.
    static func awsTransport(for url: SourceURL) throws -> AWSTransport {
        let config: AWSConfig
        do { config = try AWSConfig.resolve() } catch {
            throw ClickstreamError(.configuration, "source \(url)", "\(error)")
        }
        do { return try AWSTransport(config: config) } catch {
            throw ClickstreamError.wrapping(error, .source, "source \(url)")
        }
    }

    public func run() throws -> ReplaySummary {
        let started = Date()
        let window = options.effectiveWindow
        let widened = window != options.window
        if widened {
            log.info("--rebuild works on whole hours: window widened to [\(Timestamp.instant(window.lowerBound)), \(Timestamp.instant(window.upperBound)))")
        }
        let sources = try options.sources.map { try makeSource($0, options) }
        for s in sources {
            do { try s.prepare(window: window) } catch {
                throw ClickstreamError.wrapping(error, .source, "source \(s.name)")
            }
        }
        let writer = try WriterStore(path: options.databasePath, command: options.commandName)
        defer { withExtendedLifetime(writer) {} }
        let store = writer.store
        let runId = try store.beginRun(.init(command: options.commandName, sources: options.sources.map(\.description),
                                             window: options.window, rebuild: options.rebuild), nowMs: Clock.nowMs())
        let progress = RunProgress(log: log)
        var stats = IngestStats()
        var writes = Store.WriteStats()
        var commitMark = Date()
        do {
            try store.transaction {
                if options.rebuild {
                    let hours = window.lowerBound / 3_600_000 ..< window.upperBound / 3_600_000
                    writes.add(try store.forget(hours: hours))
                    // Objects that fed the forgotten hours must be read again, not skipped as unchanged.
                    try store.forgetObjects(window: window)
                }
                // Parsing the next chunk overlaps with writing the previous one.
                let writer = ChunkWriter(store: store, runId: runId, storedHours: try store.storedHours())
                for source in sources {
                    do {
                        var mark = Date()
                        try source.willRead(store: store)
                        try source.readChunks(window: window, progress: progress) { chunk in
                            Trace.phase("parsed chunk", &mark)
                            try writer.submit(&chunk)
                        }
                        try writer.finish()
                    } catch let e as ClickstreamError { throw e } catch let e as DatabaseError {
                        throw ClickstreamError(.database, "database \(options.databasePath)", "\(e)")
                    } catch {
                        throw ClickstreamError(.source, "source \(source.name)", "\(error)")
                    }
                }
                writes.add(writer.writes)
                stats.add(writer.stats)
                commitMark = Date()
            }
            Trace.phase("commit", &commitMark)
        } catch {
            log.endProgress()
            let seconds = Date().timeIntervalSince(started)
            try? store.finishRun(runId, status: "failed", stats: stats, rowsWritten: 0, seconds: seconds,
                                 message: String(describing: error), nowMs: Clock.nowMs())
            throw error
        }
        log.endProgress()
        let seconds = Date().timeIntervalSince(started)
        try store.finishRun(runId, status: "ok", stats: stats, rowsWritten: writes.rowsWritten, seconds: seconds,
                            message: nil, nowMs: Clock.nowMs())
        var summary = ReplaySummary(runId: runId, window: window, widened: widened, stats: stats, writes: writes,
                                    seconds: seconds, databasePath: options.databasePath)
        summary.skippedUnchanged = sources.reduce(0) { $0 + $1.skippedUnchanged }
        return summary
    }
}
