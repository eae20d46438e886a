import ArgumentParser
import ClickstreamCore
import ClickstreamStore
import Foundation
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

    @Option(parsing: .unconditional, help: ArgumentHelp("Replay only partition INDEX of COUNT contiguous whole-hour ranges of the window (0-based: 3/8), "
        + "or auto: from JOB_COMPLETION_INDEX with --partitions (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX and "
        + "AWS_BATCH_JOB_ARRAY_SIZE (AWS Batch array job). The database records its partition for merge.", valueName: "index/count|auto"))
    var partition: String?

    @Option(parsing: .unconditional, help: "COUNT for --partition auto under a Kubernetes Indexed Job (its completions).")
    var partitions: Int?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if workers < 0 { throw ValidationError("--workers must be 0 (one per core) or a positive number of threads, not \(workers).") }
        if concurrency < 1 || concurrency > 512 { throw ValidationError("--concurrency must be between 1 and 512, not \(concurrency).") }
        if minEvents < 0 { throw ValidationError("--min-events must be 0 or more, not \(minEvents).") }
        if !(maxThrottleWait >= 0) { throw ValidationError("--max-throttle-wait must be 0 or more seconds, not \(maxThrottleWait).") }
        if !(maxReadFraction > 0 && maxReadFraction <= 1) { throw ValidationError("--max-read-fraction must be in (0, 1], not \(maxReadFraction).") }
        if sources.filter({ $0 == "-" }).count > 1 { throw ValidationError("Standard input (-) can be read only once.") }
        if partition == nil, partitions != nil { throw ValidationError("--partitions is only used with --partition auto.") }
        if let partitions, partitions < 1 { throw ValidationError("--partitions must be 1 or more, not \(partitions).") }
        if store.db.hasPrefix("s3://"), partition == nil {
            throw ValidationError("--db s3://… is for a partition's database: add --partition INDEX/COUNT or --partition auto.")
        }
        if partition != nil, dryRun { throw ValidationError("--partition writes a part for merge; it cannot be a --dry-run.") }
    }

    func run() throws {
        let urls: [SourceURL]
        do { urls = try sources.map(SourceURL.init(parsing:)) } catch { throw ClickstreamError.wrapping(error, .usage, nil) }
        var window = try self.window.resolve()
        let log = store.makeLog()
        var part = PartLocation.local(store.db)
        var manifest: PartitionManifest? = nil
        if let partition {
            let selection = try PartitionSelection.resolve(partition, partitions: partitions, environment: ProcessInfo.processInfo.environment)
            do { try selection.partition.check(window: window) } catch { throw ClickstreamError(.usage, nil, "\(error)") }
            let range = selection.partition.window(of: window)
            manifest = PartitionManifest(index: selection.partition.index, count: selection.partition.count, window: window,
                                         range: range, sources: urls.map(\.description))
            log.info("partition \(selection.partition) (\(selection.origin)): replaying [\(Timestamp.instant(range.lowerBound)), "
                     + "\(Timestamp.instant(range.upperBound))) of [\(Timestamp.instant(window.lowerBound)), \(Timestamp.instant(window.upperBound)))",
                     ["index": selection.partition.index, "count": selection.partition.count, "origin": selection.origin,
                      "from": Timestamp.instant(range.lowerBound), "to": Timestamp.instant(range.upperBound)], event: "partition")
            window = range
            part = try PartLocation(store.db, partition: selection.partition)
        }
        let databasePath = try part.localPath()
        var options = ReplayOptions(sources: urls, window: window, rebuild: rebuild, databasePath: databasePath,
                                    workers: workers, concurrency: concurrency, maxReadFraction: maxReadFraction,
                                    progress: log.showProgress, jsonLog: log.json)
        options.allowEmpty = allowEmpty
        options.maxThrottleWait = maxThrottleWait
        options.minEvents = minEvents
        options.dryRun = dryRun
        // AWS settings for the metrics are checked before the replay: a missing region is exit 2, not after an hour.
        let publisher = metrics == nil || dryRun ? nil : try CloudWatchMetrics()
        options.adoptForeignDatabase = store.adoptForeign
        options.partition = manifest
        var summary = try Replay(options: options, log: log).run()
        // Metrics read the committed counters from the local file, before a part is uploaded.
        let published = try publisher?.publish(summary, command: "replay")
        summary.databasePath = part.description
        // The replay's store is closed by now (its WAL folded into the file): the file is the whole part.
        if let sha = try part.upload(localPath: databasePath) {
            log.info("uploaded \(part.description) (sha256 \(sha))", ["db": part.description, "sha256": sha], event: "part_uploaded")
        }
        try Console.summary("replay_summary", summary.paragraph, summary.jsonFields, log: log)
        if let published { log.info(CloudWatchMetrics.line(published), published.fields, event: "metrics_published") }
    }
}
