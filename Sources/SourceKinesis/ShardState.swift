import ClickstreamStore
import AWSClient
import ClickstreamCodecs
import ClickstreamCore
import ClickstreamPipeline
import Foundation

/// What the consumer knows about one shard. Owned by the consumer loop's thread.
///
/// `checkpoint` is always the committed one: a batch's records move it only when the transaction holding their
/// aggregates commits, so re-acquiring an iterator from it (after an expired iterator or a restart) neither skips
/// nor — beyond what dedupe absorbs — repeats anything.
final class ShardState {
    let id: String
    var parents: [String]
    /// From the latest ListShards: set once the shard is closed by a split or merge.
    var endingSequenceNumber: String?
    var checkpoint: String?
    /// Where to start when there is no checkpoint.
    var startType: KinesisShardIteratorType
    var iterator: String?
    var nextPollAt = Date.distantPast
    var pollInterval: Double
    var millisBehind: Int?
    var lagSavedAt = Date.distantPast
    var consecutiveFailures = 0
    var lastError: String?
    /// A closed shard we believe drained, waiting for a fresh ListShards to confirm (moto can still append to it).
    var endCandidate: (byEmptyRead: Bool, ending: String)?
    /// Drained to its end: its children may start.
    var reachedEnd = false
    /// AWS returned no next iterator: nothing more will ever be read.
    var finished = false
    /// Still in the latest listing.
    var listed = true

    init(id: String, parents: [String], endingSequenceNumber: String?, checkpoint: String?, startType: KinesisShardIteratorType,
         pollInterval: Double) {
        self.id = id
        self.parents = parents
        self.endingSequenceNumber = endingSequenceNumber
        self.checkpoint = checkpoint
        self.startType = startType
        self.pollInterval = pollInterval
    }

    /// The iterator type that resumes this shard from what is committed.
    var resumeType: KinesisShardIteratorType {
        if let checkpoint { return .afterSequenceNumber(checkpoint) }
        return startType
    }

    var isClosed: Bool { endingSequenceNumber != nil }

    var statusText: String {
        var s = "\(id) lag \(millisBehind.map { "\($0) ms" } ?? "?")"
        if finished || (reachedEnd && isClosed) { s += " (closed, drained)" }
        if consecutiveFailures > 0, let lastError { s += " [FAILING \(consecutiveFailures)x: \(lastError)]" }
        return s
    }
}
