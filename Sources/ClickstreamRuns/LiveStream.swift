import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import Foundation
import SourceKinesis
import Synchronization

/// A long-running consumer of a Kinesis stream's live shards that keeps the store current, exactly: the live
/// source (`KinesisLiveSource`) through the one pipeline with a per-batch commit, so each batch's rows and its
/// shards' checkpoints commit in one SQLite transaction. Around it: the writer lock, the run's row, SIGINT/SIGTERM,
/// the status line, and an alert per new anomaly.
///
/// `run()` returns after SIGINT/SIGTERM or `requestStop()`, once the in-flight batch is committed.
public final class LiveStream: Sendable {
    public let options: StreamOptions
    let log: Log
    let environment: [String: String]
    private let stop = StopSignal()
    private let clientOverride = Mutex<(any StreamShardClient)?>(nil)

    /// Replaces the AWS client (tests inject faults here). Built from `environment` when nil.
    public var client: (any StreamShardClient)? {
        get { clientOverride.withLock { $0 } }
        set { clientOverride.withLock { $0 = newValue } }
    }

    public init(options: StreamOptions, log: Log, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.options = options
        self.log = log
        self.environment = environment
    }

    /// Asks `run()` to finish its in-flight batch, commit and return. Safe from any thread.
    public func requestStop() { stop.raise() }

    public func run() throws {
        let name = "kinesis://\(options.stream)"
        let writer = try WriterStore(path: options.databasePath, command: "stream \(name)")
        defer { withExtendedLifetime(writer) {} }
        let kinesis: any StreamShardClient
        if let client {
            kinesis = client
        } else {
            do {
                let config = try AWSConfig.resolve(environment: environment)
                _ = try config.credentials.current()  // credentials nobody provides are a configuration error
                // Few transport-level retries: the loop backs off per shard, and a stop must not wait on retries.
                kinesis = KinesisClient(transport: try AWSTransport(config: config, retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.1, maxDelay: 1)))
            } catch {
                throw ClickstreamError(.configuration, "AWS configuration", "\(error)")
            }
        }
        let live = KinesisLiveSource(options: options, client: kinesis, log: log, stop: stop)
        let alerts = AnomalyAlerts(command: options.alertCommand, stream: options.stream, log: log)
        let status = StreamStatus()
        live.tick = { [options, log] in
            if options.statusInterval > 0, Date() >= status.nextAt(interval: options.statusInterval) {
                let line = status.line(shards: live.listedShards)
                log.info(line.text, line.fields, event: "stream_status")
            }
            return status.nextAt(interval: options.statusInterval)
        }

        let signals = installSignalHandlers()
        defer {
            for s in signals { s.cancel() }
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }

        let run = try RunRecorder(store: writer.store, command: "stream", sources: [name], window: nil, rebuild: false)
        let pipeline = Pipeline(store: writer.store, runId: run.runId, policy: .perBatch, databasePath: options.databasePath)
        pipeline.onCommit = { commit in
            if commit.records > 0 || commit.stats.documents > 0 || commit.stats.quarantinedTotal > 0 {
                status.committed(records: commit.records, ingest: commit.stats, writes: commit.writes, at: Date())
            }
            for a in commit.anomalies { alerts.report(a) }
        }
        do {
            _ = try pipeline.run([live], window: Int64.min..<Int64.max, progress: RunProgress(log: log))
        } catch {
            alerts.wait(seconds: 5)
            run.fail(error, stats: status.ingest, rowsWritten: status.rowsWritten)
            throw ClickstreamError.wrapping(error, .source, "stream \(options.stream)")
        }
        alerts.wait(seconds: 5)
        try run.finish(stats: status.ingest, rowsWritten: status.rowsWritten, note: "stopped")
        log.info("stopped: \(status.summary(seconds: run.seconds))", status.fields, event: "stream_stopped")
    }

    private func installSignalHandlers() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [log, stop] in
                if !stop.isRaised { log.info("signal \(sig == SIGINT ? "SIGINT" : "SIGTERM"): finishing the batch in flight") }
                stop.raise()
            }
            source.resume()
            return source
        }
    }
}
