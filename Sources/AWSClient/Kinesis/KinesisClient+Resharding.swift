/// Resharding calls (used by tests and benchmarks to produce parent and child shards).
extension KinesisClient {
    /// Splits `shardId` at `newStartingHashKey` (a decimal string inside the shard's hash range): the shard is
    /// closed and two children take over its range.
    public func splitShard(stream: String, shardId: String, newStartingHashKey: String) throws {
        _ = try transport.json(.kinesis, operation: "SplitShard", resource: "stream \(stream) shard \(shardId)",
                               body: ["StreamName": stream, "ShardToSplit": shardId, "NewStartingHashKey": newStartingHashKey])
    }
}
