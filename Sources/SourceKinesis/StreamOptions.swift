import ClickstreamCodecs
import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import Foundation

/// Where a shard with no checkpoint starts reading. Shards with a checkpoint always resume after it, and children
/// of a reshard seen while running always start at their TRIM_HORIZON.
public enum StreamStart: Equatable, Sendable {
    case latest
    case trimHorizon
    /// Epoch milliseconds (AT_TIMESTAMP, on arrival time).
    case at(Int64)

    /// `latest`, `trim-horizon` (any case, `_` or `-`) or a TIME (resolved against `now`); the one parser for
    /// `clickstream stream --start` and a stream job's `start`.
    public init(parsing text: String, now: Int64) throws {
        switch text.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "latest": self = .latest
        case "trim-horizon": self = .trimHorizon
        default: self = .at(try TimeExpression.parse(text, now: now))
        }
    }
}

/// What a live stream consumes and where it writes, parsed and checked before any I/O.
public struct StreamOptions: Sendable {
    /// The stream name (the NAME of `kinesis://NAME`).
    public var stream: String
    public var start: StreamStart
    public var databasePath: String
    /// Run with `/bin/sh -c` for each new anomaly, the anomaly as one JSON object on stdin.
    public var alertCommand: String?
    /// An SNS topic each new anomaly is published to (JSON, message attributes `kind` and `session_id`).
    public var alertTopicArn: String?
    /// Publish CloudWatch metrics every `metricsInterval` seconds (`--metrics cloudwatch`).
    public var publishMetrics = false
    public var metricsInterval = 60.0
    /// Seconds between status lines on stderr (0: none).
    public var statusInterval: Double
    public var jsonLog: Bool

    /// Tuning (not on the command line): GetRecords page size, the idle poll interval's bounds, how often the
    /// shard list is refreshed, and how many consecutive errors make a shard "failing" in logs and status.
    public var recordLimit = 10_000
    /// `--init`: add clickstream's tables to an SQLite database it did not make.
    public var adoptForeignDatabase = false
    public var minPollInterval = 0.2
    public var maxPollInterval = 1.0
    public var listInterval = 5.0
    public var failureReportThreshold = 5

    public init(stream: String, start: StreamStart = .latest, databasePath: String = "clickstream.sqlite",
                alertCommand: String? = nil, statusInterval: Double = 10, jsonLog: Bool = false) {
        self.stream = stream
        self.start = start
        self.databasePath = databasePath
        self.alertCommand = alertCommand
        self.statusInterval = statusInterval
        self.jsonLog = jsonLog
    }
}
