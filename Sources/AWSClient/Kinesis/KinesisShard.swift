import CurlHTTP
/// A shard as ListShards describes it. Sequence numbers are opaque decimal strings.
public struct KinesisShard: Sendable, Equatable {
    public var shardId: String
    public var parentShardId: String?
    public var adjacentParentShardId: String?
    public var startingHashKey: String
    public var endingHashKey: String
    public var startingSequenceNumber: String
    /// Set once the shard is closed (after a split or merge).
    public var endingSequenceNumber: String?

    public init(shardId: String, parentShardId: String? = nil, adjacentParentShardId: String? = nil, startingHashKey: String = "",
                endingHashKey: String = "", startingSequenceNumber: String = "", endingSequenceNumber: String? = nil) {
        self.shardId = shardId
        self.parentShardId = parentShardId
        self.adjacentParentShardId = adjacentParentShardId
        self.startingHashKey = startingHashKey
        self.endingHashKey = endingHashKey
        self.startingSequenceNumber = startingSequenceNumber
        self.endingSequenceNumber = endingSequenceNumber
    }
}
