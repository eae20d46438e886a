import AWSClient
import ClickstreamPipeline
import Foundation

/// Hands the shards of a window replay to reader threads in the `ShardCoordinator`'s order: a child starts only
/// after its parents (those still listed) are done, so after a reshard the parents' records precede the
/// children's. The first failure cancels the plan.
final class ShardPlan: @unchecked Sendable {
    // Why `@unchecked Sendable` is sound: `coordinator`, `order`, `taken` and `failure` are only touched while
    // `condition` is locked; a `ShardState` handed out by `next()` is then used by the one reader that took it.
    private let condition = NSCondition()
    private let coordinator = ShardCoordinator()
    private let order: [String]
    private var taken: Set<String> = []
    private var failure: (any Error)?

    /// `start`: where every shard's reading begins (the window's AT_TIMESTAMP).
    init(_ listing: [KinesisShard], start: KinesisShardIteratorType) {
        order = listing.map(\.shardId)
        coordinator.update(listing: listing) { _ in start }
    }

    var firstFailure: (any Error)? {
        condition.lock(); defer { condition.unlock() }
        return failure
    }

    var isCancelled: Bool { firstFailure != nil }

    /// The next shard whose parents are done; waits while only children of unfinished shards are left; nil when
    /// every shard is taken or the plan was cancelled.
    func next() -> ShardState? {
        condition.lock()
        defer { condition.unlock() }
        while failure == nil && taken.count < order.count {
            if let id = order.first(where: { !taken.contains($0) && coordinator.parentsDrained(coordinator.shards[$0]!) }) {
                taken.insert(id)
                return coordinator.shards[id]
            }
            condition.wait()
        }
        return nil
    }

    func done(_ shard: ShardState) {
        condition.lock()
        coordinator.drained(shard)
        condition.broadcast()
        condition.unlock()
    }

    /// Takes in a fresh listing (moto may still grow a closed parent); returns `shard`'s ending as now listed.
    func relisted(_ listing: [KinesisShard], shard: ShardState) -> String? {
        condition.lock(); defer { condition.unlock() }
        coordinator.update(listing: listing) { _ in shard.startType }
        return shard.endingSequenceNumber
    }

    func fail(_ error: any Error) {
        condition.lock()
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }
}
