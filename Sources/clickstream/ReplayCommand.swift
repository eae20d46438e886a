import ArgumentParser
import ClickstreamPipeline
import ClickstreamRuns

/// Where `--metrics` publishes.
enum MetricsTarget: String, ExpressibleByArgument, CaseIterable {
    case cloudwatch
}

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Recompute the tables from sources over a window (idempotent; sources are read as one union).",
        discussion: """
        SOURCE is a local archive folder (./archive, file:///data/archive), a single file (day.ndjson), a quoted \
        glob ('exports/*.json.gz'), - for NDJSON on standard input, s3://bucket/prefix or kinesis://stream-name. \
        Replaying the same events again changes nothing; --rebuild first forgets every event of the window \
        (widened to whole hours), the way to apply a logic fix. A source that yields nothing in the window fails \
        the run (exit 1) and changes nothing, unless --allow-empty.
        """)

    @Argument(help: ArgumentHelp("One or more sources: a folder, a file, a glob, -, s3://bucket/prefix or kinesis://stream.",
                                 valueName: "source"),
              completion: .directory)
    var sources: [String]

    @OptionGroup var window: WindowOptions

    @Flag(help: "Forget every event of the window's hours first, then ingest.")
    var rebuild = false

    @Flag(name: .customLong("dry-run"), help: "Do the whole run, report what would change table by table, and commit nothing.")
    var dryRun = false

    @Flag(name: .customLong("allow-empty"), help: "Commit even when a source yields nothing in the window (with --rebuild: clear the window).")
    var allowEmpty = false

    @Option(name: .customLong("min-events"), parsing: .unconditional, help: "Fail (exit 1, nothing changed) when fewer events than this fall in the window.")
    var minEvents: Int = 0

    @Option(parsing: .unconditional, help: "Threads reading and parsing local files (default 0: one per core, 16 for small one-event files).")
    var workers: Int = 0

    @Option(parsing: .unconditional, help: "Requests in flight for S3 sources.")
    var concurrency: Int = 32

    @Option(name: .customLong("max-read-fraction"), parsing: .unconditional, help: "Share of each Kinesis shard's read limits to use (0 < f <= 1), leaving the rest to production consumers.")
    var maxReadFraction: Double = 0.5

    @Option(name: .customLong("max-throttle-wait"), parsing: .unconditional,
            help: ArgumentHelp("Seconds the Kinesis readers may wait out throttling, in total, before the run fails naming the shard.", valueName: "seconds"))
    var maxThrottleWait: Double = 1800

    @Option(help: ArgumentHelp("After the commit, publish metrics: cloudwatch (EventsProcessed by EventType per minute, and the run's health).",
                               valueName: "target"))
    var metrics: MetricsTarget?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if workers < 0 { throw ValidationError("--workers must be 0 (one per core) or a positive number of threads, not \(workers).") }
        if concurrency < 1 || concurrency > 512 { throw ValidationError("--concurrency must be between 1 and 512, not \(concurrency).") }
        if minEvents < 0 { throw ValidationError("--min-events must be 0 or more, not \(minEvents).") }
        if !(maxThrottleWait >= 0) { throw ValidationError("--max-throttle-wait must be 0 or more seconds, not \(maxThrottleWait).") }
        if !(maxReadFraction > 0 && maxReadFraction <= 1) { throw ValidationError("--max-read-fraction must be in (0, 1], not \(maxReadFraction).") }
        if sources.filter({ $0 == "-" }).count > 1 { throw ValidationError("Standard input (-) can be read only once.") }
    }

    func run() throws {
        let urls: [SourceURL]
        do { urls = try sources.map(SourceURL.init(parsing:)) } catch { throw ClickstreamError.wrapping(error, .usage, nil) }
        let window = try self.window.resolve()
        let log = store.makeLog()
        var options = ReplayOptions(sources: urls, window: window, rebuild: rebuild, databasePath: store.db,
                                    workers: workers, concurrency: concurrency, maxReadFraction: maxReadFraction,
                                    progress: log.showProgress, jsonLog: log.json)
        options.allowEmpty = allowEmpty
        options.maxThrottleWait = maxThrottleWait
        options.minEvents = minEvents
        options.dryRun = dryRun
        // AWS settings for the metrics are checked before the replay: a missing region is exit 2, not after an hour.
        let publisher = metrics == nil || dryRun ? nil : try CloudWatchMetrics()
        options.adoptForeignDatabase = store.adoptForeign
        let summary = try Replay(options: options, log: log).run()
        try Console.summary("replay_summary", summary.paragraph, summary.jsonFields, log: log)
        if let publisher {
            let report = try publisher.publish(summary, command: "replay")
            log.info(CloudWatchMetrics.line(report), report.fields, event: "metrics_published")
        }
    }
}
