/// The fields of DescribeStreamSummary we use.
public struct KinesisStreamSummary: Sendable, Equatable {
    public var streamName: String
    public var streamARN: String
    public var streamStatus: String
    public var openShardCount: Int
    public var retentionPeriodHours: Int
}
