import ClickstreamStore
import AWSClient
import ClickstreamCodecs
import ClickstreamCore
import ClickstreamPipeline
import Foundation

/// Hands shards to reader threads so that a child starts only after its parents (those still listed) are done:
/// after a reshard, the parents' records precede the children's. The first failure cancels the plan.
final class ShardPlan: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [KinesisShard]
    private var done: Set<String> = []
    private let listed: Set<String>
    private(set) var failure: Error?

    init(_ shards: [KinesisShard]) {
        waiting = shards
        listed = Set(shards.map(\.shardId))
    }

    var isCancelled: Bool {
        condition.lock(); defer { condition.unlock() }
        return failure != nil
    }

    /// The next shard whose parents are done; waits while only children of unfinished shards are left; nil when
    /// every shard is taken or the plan was cancelled.
    func next() -> KinesisShard? {
        condition.lock()
        defer { condition.unlock() }
        while failure == nil && !waiting.isEmpty {
            if let i = waiting.firstIndex(where: { shard in
                [shard.parentShardId, shard.adjacentParentShardId].allSatisfy { p in p.map { !listed.contains($0) || done.contains($0) } ?? true }
            }) {
                return waiting.remove(at: i)
            }
            condition.wait()
        }
        return nil
    }

    func done(_ shardId: String) {
        condition.lock()
        done.insert(shardId)
        condition.broadcast()
        condition.unlock()
    }

    func fail(_ error: Error) {
        condition.lock()
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }
}
