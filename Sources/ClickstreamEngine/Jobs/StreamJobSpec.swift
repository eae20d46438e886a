/// A `mode = "stream"` job, validated: what the CLI hands to the live consumer (`LiveStream`) through
/// `JobRunner.startStream`.
public struct StreamJobSpec: Sendable, Equatable {
    public enum Start: Sendable, Equatable {
        case latest
        case trimHorizon
        /// Epoch milliseconds.
        case at(Int64)
    }

    public var jobName: String
    /// The Kinesis stream name (from `kinesis://NAME`).
    public var stream: String
    public var start: Start
    public var databasePath: String
    /// The command the live consumer runs on each new anomaly (its contract is `clickstream stream`'s), when set.
    public var alertCommand: String?
    /// Seconds between status lines.
    public var statusInterval: Double
    public var jsonLog: Bool

    public init(jobName: String, stream: String, start: Start, databasePath: String, alertCommand: String?,
                statusInterval: Double, jsonLog: Bool) {
        self.jobName = jobName
        self.stream = stream
        self.start = start
        self.databasePath = databasePath
        self.alertCommand = alertCommand
        self.statusInterval = statusInterval
        self.jsonLog = jsonLog
    }
}
