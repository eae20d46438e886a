import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import SourceKinesis
import SourceLocal
import SourceS3

/// What a replay reads and where it writes, parsed and checked before any I/O.
public struct ReplayOptions: Sendable {
    public var sources: [SourceURL]
    /// Half-open window in epoch milliseconds, as asked.
    public var window: Range<Int64>
    public var rebuild: Bool
    public var databasePath: String
    /// Threads parsing (local files: 0 = one per core, or 16 for small files; remote sources: 0 = one per core).
    public var workers: Int
    /// In-flight requests for remote sources.
    public var concurrency: Int
    /// Fraction of each shard's read limits a Kinesis replay may use.
    public var maxReadFraction: Double
    /// Seconds the Kinesis readers may wait out throttling, in total, before the run fails naming the shard.
    public var maxThrottleWait = 1800.0
    /// Show progress on stderr.
    public var progress: Bool
    public var jsonLog: Bool
    public var commandName: String
    /// Commit even when a source yields nothing in the window (with `rebuild`, that clears the window).
    public var allowEmpty = false
    /// Refuse to commit when fewer events than this fall in the window.
    public var minEvents = 0
    /// Report what the run would change, table by table, and commit nothing.
    public var dryRun = false
    /// `--init`: add clickstream's tables to an SQLite database it did not make.
    public var adoptForeignDatabase = false
    /// `--partition`: this replay is one part of a partitioned backfill; `window` is then the part's range, and
    /// the manifest is recorded in the database when the run commits (for `merge`).
    public var partition: PartitionManifest?

    public init(sources: [SourceURL], window: Range<Int64>, rebuild: Bool = false, databasePath: String = "clickstream.sqlite",
                workers: Int = 0, concurrency: Int = 32, maxReadFraction: Double = 0.5, progress: Bool = false,
                jsonLog: Bool = false, commandName: String = "replay") {
        self.sources = sources
        self.window = window
        self.rebuild = rebuild
        self.databasePath = databasePath
        self.workers = workers
        self.concurrency = concurrency
        self.maxReadFraction = maxReadFraction
        self.progress = progress
        self.jsonLog = jsonLog
        self.commandName = commandName
    }

    /// With `--rebuild` the window is widened to whole hours: forgetting is done per hour, and every event of a
    /// forgotten hour must be read again.
    public var effectiveWindow: Range<Int64> {
        guard rebuild else { return window }
        let lo = window.lowerBound.floorDiv(3_600_000) * 3_600_000
        var hi = window.upperBound.floorDiv(3_600_000) * 3_600_000
        if hi < window.upperBound { hi += 3_600_000 }
        return lo..<hi
    }
}
