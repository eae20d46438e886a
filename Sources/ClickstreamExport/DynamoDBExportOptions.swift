import AWSClient
import Foundation

/// Everything `clickstream export dynamodb` needs, parsed before any I/O.
public struct DynamoDBExportOptions: Sendable {
    /// Tables are `PREFIX-page-metrics`, `PREFIX-session-metrics`, `PREFIX-counters` (docs/dynamodb.md).
    public var tablePrefix: String
    /// Half-open, epoch milliseconds: page metrics of the hours it touches, counters of the minutes it touches,
    /// sessions whose `last_activity` falls inside it.
    public var window: Range<Int64>
    public var databasePath: String
    /// Read and compare only; write nothing (neither to DynamoDB nor to `runs`).
    public var dryRun: Bool
    /// BatchWriteItem / BatchGetItem / Query calls in flight.
    public var concurrency: Int
    /// `last_updated` of page-metrics items (epoch seconds); injectable so two exports write identical items.
    public var nowSeconds: Int64
    public var environment: [String: String]
    public var retryPolicy: RetryPolicy
    /// What the `runs` row names as the command.
    public var commandName: String
    /// `--max-write-rate`: items per second at most (nil: as fast as DynamoDB answers).
    public var maxWriteRate: Double? = nil
    /// Seconds of backoff, in total, that throttled and unprocessed items may wait before the rest is reported.
    public var maxRetryWait = 600.0
    /// `--ttl-from-now`: counters get `ttl` = the export's time + `retentionSeconds`, as the Lambda writes them,
    /// instead of the minute's end + retention (whose past values would make DynamoDB delete them at once).
    public var ttlFromNow = false
    public var retentionSeconds: Int64 = 86_400

    /// The write budget these options give the DynamoDB client.
    public var writeBudget: DynamoDBWriteBudget {
        DynamoDBWriteBudget(maxItemsPerSecond: maxWriteRate, maxConcurrency: concurrency, maxRetryWait: maxRetryWait)
    }

    public init(tablePrefix: String, window: Range<Int64>, databasePath: String = "clickstream.sqlite", dryRun: Bool = false,
                concurrency: Int = 16, nowSeconds: Int64 = Int64(Date().timeIntervalSince1970),
                environment: [String: String] = ProcessInfo.processInfo.environment,
                retryPolicy: RetryPolicy = RetryPolicy(), commandName: String = "export dynamodb") {
        self.tablePrefix = tablePrefix
        self.window = window
        self.databasePath = databasePath
        self.dryRun = dryRun
        self.concurrency = concurrency
        self.nowSeconds = nowSeconds
        self.environment = environment
        self.retryPolicy = retryPolicy
        self.commandName = commandName
    }
}
