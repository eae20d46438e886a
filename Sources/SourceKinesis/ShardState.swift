import AWSClient
import ClickstreamCore
import Foundation

/// What a reader knows about one shard. Owned by one thread at a time (the live loop, or the window reader that
/// took the shard from `ShardPlan`).
///
/// `position` is what reading resumes after: for the live stream the committed checkpoint (a batch's records move
/// it only once the transaction holding their rows commits), so re-acquiring an iterator from it (after an expired
/// iterator or a restart) neither skips nor — beyond what dedupe absorbs — repeats anything; for a window replay,
/// the last record read (the run commits once, at its end).
public final class ShardState {
    public let id: String
    public internal(set) var parents: [String]
    /// From the latest ListShards: set once the shard is closed by a split or merge.
    public internal(set) var endingSequenceNumber: String?
    public internal(set) var position: String?
    /// Where to start when there is no position.
    public internal(set) var startType: KinesisShardIteratorType
    var iterator: String?
    var nextPollAt = Date.distantPast
    var pollInterval = 0.2
    public internal(set) var millisBehind: Int?
    var lagSavedAt = Date.distantPast
    public internal(set) var consecutiveFailures = 0
    public internal(set) var lastError: String?
    /// A closed shard we believe drained, waiting for a fresh ListShards to confirm (moto can still append to it).
    var endCandidate: (byEmptyRead: Bool, ending: String)?
    /// Drained to its end: its children may start.
    public internal(set) var reachedEnd = false
    /// AWS returned no next iterator: nothing more will ever be read.
    public internal(set) var finished = false
    /// Still in the latest listing.
    public internal(set) var listed = true

    init(id: String, parents: [String], endingSequenceNumber: String?, position: String?, startType: KinesisShardIteratorType) {
        self.id = id
        self.parents = parents
        self.endingSequenceNumber = endingSequenceNumber
        self.position = position
        self.startType = startType
    }

    /// The iterator type that resumes this shard: after its position, else from its start.
    public var resumeType: KinesisShardIteratorType {
        if let position { return .afterSequenceNumber(position) }
        return startType
    }

    public var isClosed: Bool { endingSequenceNumber != nil }

    /// Totals since the stream started, for the status line's per-shard read rate and throttles.
    public internal(set) var calls = 0, recordsRead = 0, bytesRead = 0, throttles = 0

    public var statusText: String {
        var s = "\(id) lag \(millisBehind.map { "\($0) ms" } ?? "?")"
        s += ", \(calls) GetRecords, \(recordsRead) records, \(throttles) throttled"
        if finished || (reachedEnd && isClosed) { s += " (closed, drained)" }
        if consecutiveFailures > 0, let lastError { s += " [FAILING \(consecutiveFailures)x: \(lastError)]" }
        return s
    }
}
