import ArgumentParser
import ClickstreamExport
import ClickstreamPipeline

struct ExportDynamoDBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dynamodb",
        abstract: "Write the window's page_metrics, session_metrics and counters to PREFIX-page-metrics, PREFIX-session-metrics and PREFIX-counters.",
        discussion: """
        Whole items are overwritten, so exporting twice leaves the same items. Page metrics of the hours the window \
        touches, counters of its minutes, and sessions whose last_activity falls inside it are written with \
        BatchWriteItem (25 items a call, several calls in flight, unprocessed items resent with backoff). Refuses to \
        start (exit 2) when a table is missing or its key schema differs from the one in docs/dynamodb.md; exits 1 listing the items \
        that could not be written. --dry-run reads the current items and reports, per table and hour, what would be \
        inserted or changed and what DynamoDB holds that our result does not, without writing anything.
        """)

    @Option(name: .customLong("table-prefix"), help: "Tables are PREFIX-page-metrics, PREFIX-session-metrics, PREFIX-counters.")
    var tablePrefix: String

    @OptionGroup var window: WindowOptions

    @Flag(name: .customLong("dry-run"), help: "Compare with the current items and report; write nothing.")
    var dryRun = false

    @Option(parsing: .unconditional, help: "DynamoDB requests in flight.")
    var concurrency: Int = 16

    @Option(name: .customLong("max-write-rate"), parsing: .unconditional,
            help: ArgumentHelp("Items written per second at most, leaving the table's capacity to production (default: no limit).", valueName: "items/s"))
    var maxWriteRate: Double?

    @Option(name: .customLong("max-retry-wait"), parsing: .unconditional,
            help: ArgumentHelp("Seconds of backoff, in total, for throttled or unprocessed items before the rest is reported as failed.", valueName: "seconds"))
    var maxRetryWait: Double = 600

    @Flag(name: .customLong("ttl-from-now"),
          help: "Write counters' ttl as the export's time + 24 h (as the Lambda does), not the minute's end + 24 h; counters whose ttl has passed are otherwise skipped.")
    var ttlFromNow = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if tablePrefix.isEmpty { throw ValidationError("--table-prefix must not be empty.") }
        if concurrency < 1 || concurrency > 256 { throw ValidationError("--concurrency must be between 1 and 256.") }
        if let maxWriteRate, !(maxWriteRate > 0) { throw ValidationError("--max-write-rate must be a positive number of items per second, not \(maxWriteRate).") }
        if !(maxRetryWait >= 0) { throw ValidationError("--max-retry-wait must be 0 or more seconds, not \(maxRetryWait).") }
    }

    func run() throws {
        let window = try self.window.resolve()
        let log = store.makeLog()
        var options = DynamoDBExportOptions(tablePrefix: tablePrefix, window: window, databasePath: store.db, dryRun: dryRun,
                                            concurrency: concurrency)
        options.maxWriteRate = maxWriteRate
        options.maxRetryWait = maxRetryWait
        options.ttlFromNow = ttlFromNow
        let summary = try DynamoDBExport(options: options, log: log).run()
        try Self.printSummary(summary, log: log)
        if let failure = summary.failure { throw failure }
    }

    static func printSummary(_ summary: DynamoDBExportSummary, log: Log) throws {
        if !log.json { for diff in summary.diffs { try Console.out(diff.report()) } }
        try Console.summary("export_summary", summary.paragraph,
                            ["written": summary.written, "items": summary.totalItems, "seconds": summary.seconds,
                             "items_per_second": summary.itemsPerSecond, "retries": summary.retries,
                             "throttles": summary.throttles, "failed": summary.failed.count, "dry_run": summary.dryRun,
                             "skipped_expired": summary.skippedExpired,
                             "diffs": summary.diffs.map { $0.report() }], log: log)
    }
}
