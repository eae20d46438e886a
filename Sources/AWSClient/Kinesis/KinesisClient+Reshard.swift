import CurlHTTP
import Foundation

/// Resharding calls (used by tests, benchmarks and operators; the consumers only follow reshards).
extension KinesisClient {
    /// Splits `shardId` into two children at `newStartingHashKey` (a decimal hash key inside the shard's range).
    public func splitShard(stream: String, shardId: String, newStartingHashKey: String) throws {
        _ = try transport.json(.kinesis, operation: "SplitShard", resource: "stream \(stream) shard \(shardId)",
                               body: ["StreamName": stream, "ShardToSplit": shardId, "NewStartingHashKey": newStartingHashKey])
    }

    /// Merges two adjacent shards into one child.
    public func mergeShards(stream: String, shardId: String, adjacentShardId: String) throws {
        _ = try transport.json(.kinesis, operation: "MergeShards", resource: "stream \(stream) shard \(shardId)",
                               body: ["StreamName": stream, "ShardToMerge": shardId, "AdjacentShardToMerge": adjacentShardId])
    }
}
