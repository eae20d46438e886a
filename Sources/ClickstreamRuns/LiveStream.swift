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
        let writer = try WriterStore(path: options.databasePath, command: "stream \(name)", adoptForeign: options.adoptForeignDatabase)
        defer { withExtendedLifetime(writer) {} }
        let kinesis: any StreamShardClient
        var counters: AWSCounters?
        if let client {
            kinesis = client
        } else {
            do {
                let config = try AWSConfig.resolve(environment: environment).inRegion(ofARN: options.stream)
                _ = try config.credentials.current()  // credentials nobody provides are a configuration error
                // Few transport-level retries: the loop backs off per shard, and a stop must not wait on retries.
                let transport = try AWSTransport(config: config, retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.1, maxDelay: 1))
                counters = transport.counters
                // A stop aborts the GetRecords in flight: a hung request must not hold a SIGTERM for minutes.
                stop.whenRaised { [http = transport.http] in http.abort() }
                kinesis = KinesisClient(transport: transport)
            } catch {
                throw ClickstreamError(.configuration, "AWS configuration", "\(error)")
            }
        }
        let live = KinesisLiveSource(options: options, client: kinesis, log: log, stop: stop)
        let alerts = AnomalyAlerts(command: options.alertCommand, topic: try alertTopic(), stream: options.stream, log: log)
        let status = StreamStatus()
        let metrics = try streamMetrics(store: writer.store, throttles: counters)
        live.tick = { [options, log] in
            if options.statusInterval > 0, Date() >= status.nextAt(interval: options.statusInterval) {
                let line = status.line(shards: live.listedShards)
                log.info(line.text, line.fields, event: "stream_status")
            }
            let nextMetrics = metrics?.tick(store: writer.store, status: status, shards: live.listedShards) ?? .distantFuture
            return min(status.nextAt(interval: options.statusInterval), nextMetrics)
        }

        let signals = SignalWatch(stop, log: log) { "signal \($0): finishing the batch in flight" }
        defer { withExtendedLifetime(signals) {} }

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
        if let metrics {
            _ = metrics.tick(store: writer.store, status: status, shards: live.listedShards, force: true)
            metrics.wait(seconds: 5)
            let line = "metrics: \(Plural.count(metrics.sent, "data point")) sent to CloudWatch, \(Plural.count(metrics.failed, "call")) failed"
            if metrics.failed > 0 { log.warn(line, ["sent": metrics.sent, "failed": metrics.failed], event: "metrics") }
            else { log.info(line, ["sent": metrics.sent, "failed": 0], event: "metrics") }
        }
        if let arn = options.alertTopicArn {
            let line = "alerts: \(Plural.count(alerts.published, "anomaly", "anomalies")) published to \(arn), \(alerts.failed) could not be sent"
            if alerts.failed > 0 { log.warn(line, ["published": alerts.published, "failed": alerts.failed], event: "alerts") }
            else { log.info(line, ["published": alerts.published, "failed": 0], event: "alerts") }
        }
        try run.finish(stats: status.ingest, rowsWritten: status.rowsWritten, note: "stopped")
        log.info("stopped: \(status.summary(seconds: run.seconds))", status.fields, event: "stream_stopped")
    }

    private func streamMetrics(store: Store, throttles: AWSCounters?) throws -> StreamMetrics? {
        guard options.publishMetrics else { return nil }
        let client: CloudWatchClient
        do {
            client = CloudWatchClient(transport: try AWSTransport(config: try AWSConfig.resolve(environment: environment)))
        } catch {
            throw ClickstreamError(.configuration, "--metrics cloudwatch", "\(error)")
        }
        return try StreamMetrics(client: client, stream: options.stream, interval: options.metricsInterval, log: log,
                                 throttles: throttles, store: store)
    }

    /// The SNS client for `--alert-sns-topic`, on its own transport: alerts get the standard retries, not the
    /// consumer's short ones. The topic's region comes from its ARN when it names one.
    private func alertTopic() throws -> (arn: String, client: SNSClient)? {
        guard let arn = options.alertTopicArn else { return nil }
        do {
            let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count >= 6, parts[0] == "arn", parts[2] == "sns" else {
                throw ClickstreamError(.configuration, "--alert-sns-topic", "\"\(arn)\" is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)")
            }
            let config = try AWSConfig.resolve(environment: environment).inRegion(ofARN: arn)
            return (arn, SNSClient(transport: try AWSTransport(config: config)))
        } catch let e as ClickstreamError {
            throw e
        } catch {
            throw ClickstreamError(.configuration, "AWS configuration", "\(error)")
        }
    }

}
