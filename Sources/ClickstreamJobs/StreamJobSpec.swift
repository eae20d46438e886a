import SourceKinesis
/// A `mode = "stream"` job, validated: what `JobRunner` hands to the live consumer (`LiveStream`).
public struct StreamJobSpec: Sendable, Equatable {
    public typealias Start = StreamStart

    public var jobName: String
    /// The Kinesis stream name (from `kinesis://NAME`).
    public var stream: String
    public var start: Start
    public var databasePath: String
    /// The command the live consumer runs on each new anomaly (its contract is `clickstream stream`'s), when set.
    public var alertCommand: String?
    /// The SNS topic each new anomaly is published to, when set.
    public var alertTopicArn: String?
    /// `[job] metrics = "cloudwatch"`: publish metrics while streaming.
    public var publishMetrics = false
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

    /// The live consumer's options for this job (`jsonLog` also when the command asked for JSON).
    public func streamOptions(jsonLog forced: Bool) -> StreamOptions {
        var options = StreamOptions(stream: stream, start: start, databasePath: databasePath, alertCommand: alertCommand,
                                    statusInterval: statusInterval, jsonLog: jsonLog || forced)
        options.alertTopicArn = alertTopicArn
        options.publishMetrics = publishMetrics
        return options
    }
}
