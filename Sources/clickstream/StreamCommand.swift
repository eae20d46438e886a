import ArgumentParser
import ClickstreamPipeline
import ClickstreamRuns
import SourceKinesis

struct StreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Consume a Kinesis stream's live shards and keep the tables current, exactly, until SIGINT/SIGTERM.",
        discussion: """
        Each batch's rows and the shards' sequence numbers commit in one transaction, so a crash (even SIGKILL) \
        and a restart neither lose nor double-count an event: a restart resumes after the stored checkpoints, and \
        --start applies only to shards without one. Reshards are followed (parents are drained before their \
        children start). One consumer per database: a second one exits with status 2.
        """)

    @Argument(help: "The stream, as kinesis://NAME.")
    var source: String

    @Option(parsing: .unconditional, help: "Where shards without a checkpoint start: latest, trim-horizon, or a TIME (arrival time, e.g. -1h).")
    var start: String = "latest"

    @Option(name: .customLong("alert-command"), help: "Shell command run for each new anomaly, with the anomaly as JSON on stdin.")
    var alertCommand: String?

    @Option(name: .customLong("alert-sns-topic"), help: ArgumentHelp("SNS topic each new anomaly is published to, once (JSON; message attributes kind and session_id).", valueName: "arn"))
    var alertSNSTopic: String?

    @Option(help: ArgumentHelp("Publish metrics while streaming: cloudwatch (EventsProcessed by EventType per minute, lag, throughput).",
                               valueName: "target"))
    var metrics: MetricsTarget?

    @Option(name: .customLong("metrics-interval"), parsing: .unconditional, help: "Seconds between metric publications.")
    var metricsInterval: Double = 60

    @Option(name: .customLong("poll-interval"), parsing: .unconditional,
            help: "Seconds between GetRecords calls on a busy shard (default 1, as the Lambda's event source mapping polls; Kinesis allows 5 calls/s per shard for every consumer together).")
    var pollInterval: Double = 1

    @Option(name: .customLong("status-interval"), parsing: .unconditional, help: "Seconds between status lines on stderr (0: none).")
    var statusInterval: Double = 10

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if !(pollInterval >= 0.2) { throw ValidationError("--poll-interval must be at least 0.2 seconds (Kinesis allows 5 calls/s per shard), not \(pollInterval).") }
        if !(metricsInterval >= 1) { throw ValidationError("--metrics-interval must be at least 1 second, not \(metricsInterval).") }
        if !(statusInterval >= 0) { throw ValidationError("--status-interval must be 0 (none) or a positive number of seconds.") }
    }

    func run() throws {
        let url: SourceURL
        do { url = try SourceURL(parsing: source) } catch { throw ClickstreamError.wrapping(error, .usage, nil) }
        guard case let .kinesis(stream) = url else {
            throw ClickstreamError(.usage, "source \(source)", "stream reads a Kinesis stream; use kinesis://NAME")
        }
        let startPosition: StreamStart
        do { startPosition = try StreamStart(parsing: start, now: Clock.nowMs()) } catch {
            throw ClickstreamError(.usage, "--start", "must be latest, trim-horizon or a TIME: \(error)")
        }
        let log = store.makeLog()
        var options = StreamOptions(stream: stream, start: startPosition, databasePath: store.db, alertCommand: alertCommand,
                                    statusInterval: statusInterval, jsonLog: log.json)
        options.alertTopicArn = alertSNSTopic
        options.minPollInterval = pollInterval
        options.maxPollInterval = max(pollInterval, options.maxPollInterval)
        options.publishMetrics = metrics != nil
        options.metricsInterval = metricsInterval
        options.adoptForeignDatabase = store.adoptForeign
        try LiveStream(options: options, log: log).run()
    }
}
