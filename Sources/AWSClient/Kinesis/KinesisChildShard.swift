import CurlHTTP
/// A child shard reported by GetRecords when a closed shard is fully read (AWS only; moto never sends them).
public struct KinesisChildShard: Sendable, Equatable {
    public var shardId: String
    public var parentShards: [String]

    public init(shardId: String, parentShards: [String]) {
        self.shardId = shardId
        self.parentShards = parentShards
    }
}
