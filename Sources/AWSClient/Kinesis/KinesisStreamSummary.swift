import CurlHTTP
/// The fields of DescribeStreamSummary we use.
public struct KinesisStreamSummary: Sendable, Equatable {
    public var streamName: String
    public var streamARN: String
    public var streamStatus: String
    public var openShardCount: Int
    public var retentionPeriodHours: Int

    public init(streamName: String, streamARN: String, streamStatus: String, openShardCount: Int, retentionPeriodHours: Int) {
        self.streamName = streamName
        self.streamARN = streamARN
        self.streamStatus = streamStatus
        self.openShardCount = openShardCount
        self.retentionPeriodHours = retentionPeriodHours
    }
}
