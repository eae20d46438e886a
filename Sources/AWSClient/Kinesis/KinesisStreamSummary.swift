import CurlHTTP
/// The fields of DescribeStreamSummary we use.
public struct KinesisStreamSummary: Sendable, Equatable {
    public var streamName: String
    public var streamARN: String
    public var streamStatus: String
    public var openShardCount: Int
    public var retentionPeriodHours: Int
    /// `StreamCreationTimestamp`, epoch seconds: with the ARN, what tells a stream from one re-created under its name.
    public var creationTimestamp: Double?

    public init(streamName: String, streamARN: String, streamStatus: String, openShardCount: Int, retentionPeriodHours: Int,
                creationTimestamp: Double? = nil) {
        self.streamName = streamName
        self.streamARN = streamARN
        self.streamStatus = streamStatus
        self.openShardCount = openShardCount
        self.retentionPeriodHours = retentionPeriodHours
        self.creationTimestamp = creationTimestamp
    }

    /// `ARN@creation`: the stream's identity for checkpoints.
    public var identity: String { "\(streamARN)@\(creationTimestamp.map { String(format: "%.3f", $0) } ?? "?")" }
}
