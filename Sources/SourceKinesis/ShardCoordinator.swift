import AWSClient
import ClickstreamCore
import ClickstreamPipeline

/// The shards of one stream and the order they may be read in: one set of rules for the window replay and the
/// live stream.
///
/// - A child is read only after its parents that are still listed are drained, so after a reshard the parents'
///   records come first.
/// - A closed shard (listed with an `EndingSequenceNumber`) is drained once a read reached its ending number, or
///   read nothing more — confirmed by the next listing, since moto can still append to a closed parent.
/// - A shard with no next iterator is finished: nothing more will ever be read.
/// - An iterator that expires (AWS: after 5 minutes) is taken again after the shard's position: the committed
///   checkpoint of a live stream, the last record read by a window replay.
///
/// Not thread-safe: owned by one thread (the live loop), or used under a lock (`ShardPlan`).
public final class ShardCoordinator {
    public private(set) var shards: [String: ShardState] = [:]
    let log: Log?

    public init(log: Log? = nil) {
        self.log = log
    }

    /// What a listing changed, for the caller to act on.
    public struct Changes {
        public var added: [ShardState] = []
        public var drained: [ShardState] = []
    }

    /// Takes in a fresh ListShards: adds new shards (starting at `start(shard, parents)` unless `positions` has one),
    /// records closings and shards gone past retention, and confirms drained parents.
    @discardableResult
    public func update(listing: [KinesisShard], positions: [String: String] = [:],
                       start: (KinesisShard) -> KinesisShardIteratorType) -> Changes {
        var changes = Changes()
        let listedIds = Set(listing.map(\.shardId))
        for s in shards.values where !listedIds.contains(s.id) && s.listed {
            s.listed = false
            log?.info("shard \(s.id) is no longer listed (past retention)", ["shard": s.id])
        }
        for l in listing {
            if let s = shards[l.shardId] {
                if s.endingSequenceNumber == nil, let ending = l.endingSequenceNumber {
                    log?.info("shard \(s.id) was closed by a reshard (ending sequence \(ending))", ["shard": s.id])
                }
                s.endingSequenceNumber = l.endingSequenceNumber
                if let c = s.endCandidate, let ending = l.endingSequenceNumber, !s.reachedEnd {
                    if SequenceNumber.atLeast(s.position ?? "0", ending) || (c.byEmptyRead && ending == c.ending) {
                        s.reachedEnd = true
                        changes.drained.append(s)
                        log?.info("shard \(s.id) drained to its end; its children may start", ["shard": s.id])
                    }
                    s.endCandidate = nil
                }
                continue
            }
            let s = ShardState(id: l.shardId, parents: [l.parentShardId, l.adjacentParentShardId].compactMap { $0 },
                               endingSequenceNumber: l.endingSequenceNumber, position: positions[l.shardId], startType: start(l))
            shards[l.shardId] = s
            changes.added.append(s)
        }
        return changes
    }

    /// A shard may be read once its parents (those still listed) are drained; one with a position was read before.
    public func isReadable(_ s: ShardState) -> Bool {
        guard !s.finished, s.listed else { return false }
        if s.position != nil { return true }
        return parentsDrained(s)
    }

    /// Every parent still listed is drained.
    public func parentsDrained(_ s: ShardState) -> Bool {
        s.parents.allSatisfy { p in shards[p].map { $0.reachedEnd || !$0.listed } ?? true }
    }

    /// After a read of a closed shard: returns true when the read reached the listed end (or read nothing), so a
    /// fresh listing should confirm the end (`update` then marks it drained).
    public func readReachedEnd(_ s: ShardState, lastRead: String?, emptyRead: Bool) -> Bool {
        guard let ending = s.endingSequenceNumber, !s.reachedEnd else { return false }
        let position = lastRead ?? s.position ?? "0"
        guard emptyRead || SequenceNumber.atLeast(position, ending) else { return false }
        s.endCandidate = (emptyRead, ending)
        return true
    }

    /// No next iterator: the shard is finished and drained.
    public func finished(_ s: ShardState) {
        s.finished = true
        s.reachedEnd = true
        log?.info("shard \(s.id) is closed and fully read", ["shard": s.id])
    }

    /// Marks `s` drained without a listing (a window replay that read it to its end).
    public func drained(_ s: ShardState) {
        s.reachedEnd = true
    }
}
