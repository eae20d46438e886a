import CurlHTTP
/// One GetRecords response. `nextShardIterator` is nil once a closed shard is exhausted (on AWS).
public struct KinesisGetRecordsOutput: Sendable, Equatable {
    public var records: [KinesisRecord]
    /// Pass back verbatim.
    public var nextShardIterator: String?
    public var millisBehindLatest: Int?
    public var childShards: [KinesisChildShard]

    public init(records: [KinesisRecord], nextShardIterator: String? = nil, millisBehindLatest: Int? = nil, childShards: [KinesisChildShard]) {
        self.records = records
        self.nextShardIterator = nextShardIterator
        self.millisBehindLatest = millisBehindLatest
        self.childShards = childShards
    }
}
