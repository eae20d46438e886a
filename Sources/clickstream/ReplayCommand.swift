import ArgumentParser
import ClickstreamPipeline
import ClickstreamRuns

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Recompute the tables from sources over a window (idempotent; sources are read as one union).",
        discussion: """
        SOURCE is a local archive folder (./archive, /data/archive, file:///data/archive), s3://bucket/prefix or \
        kinesis://stream-name. Replaying the same events again changes nothing; --rebuild first forgets every \
        event of the window (widened to whole hours), the way to apply a logic fix.
        """)

    @Argument(help: "One or more sources: a folder, file://…, s3://bucket/prefix or kinesis://stream.")
    var sources: [String]

    @OptionGroup var window: WindowOptions

    @Flag(help: "Forget every event of the window's hours first, then ingest.")
    var rebuild = false

    @Option(help: "Threads reading and parsing local files (default 0: one per core, 16 for small one-event files).")
    var workers: Int = 0

    @Option(help: "Requests in flight for S3 sources.")
    var concurrency: Int = 32

    @Option(name: .customLong("max-read-fraction"), help: "Share of each Kinesis shard's read limits to use (0 < f <= 1), leaving the rest to production consumers.")
    var maxReadFraction: Double = 1.0

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if workers < 0 { throw ValidationError("--workers must be 0 (one per core) or more.") }
        if concurrency < 1 || concurrency > 512 { throw ValidationError("--concurrency must be between 1 and 512.") }
        if !(maxReadFraction > 0 && maxReadFraction <= 1) { throw ValidationError("--max-read-fraction must be in (0, 1].") }
    }

    func run() throws {
        let urls: [SourceURL]
        do { urls = try sources.map(SourceURL.init(parsing:)) } catch { throw ClickstreamError.wrapping(error, .usage, nil) }
        let window = try self.window.resolve()
        let log = store.makeLog()
        let options = ReplayOptions(sources: urls, window: window, rebuild: rebuild, databasePath: store.db,
                                    workers: workers, concurrency: concurrency, maxReadFraction: maxReadFraction,
                                    progress: log.showProgress, jsonLog: log.json)
        let summary = try Replay(options: options, log: log).run()
        if log.json {
            log.info(summary.paragraph, summary.jsonFields)
        } else {
            print(summary.paragraph)
        }
    }
}
