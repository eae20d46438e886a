import ClickstreamCore
import ClickstreamStore

/// The port between a source (a local archive, S3, a Kinesis window, live shards, the in-memory twin) and the
/// pipeline — the shape of the Kinesis Client Library's record processor and of Redpanda Connect's
/// `ReadBatch → (batch, ack)`.
///
/// The pipeline calls `prepare` before it opens the store for writing (so a missing bucket or a typo fails before
/// anything is touched), then `read` once, inside the run. The source hands over batches (`deliver`), each with the
/// positions it covers, and is told through `committed` when positions are durable: only then may it move what it
/// resumes from. A source never writes to the store itself; it may read what earlier runs committed.
public protocol IngestSource: AnyObject {
    /// The URL as the user wrote it, for messages.
    var name: String { get }

    /// Checks that the source exists and lists what it will read. Fails with an error naming the source.
    func prepare(window: Range<Int64>) throws

    /// Reads the window, calling `deliver` for each batch (which may block while the writer is busy: that is the
    /// back-pressure that bounds memory). Returns when the source is exhausted, or — for a live source — stopped.
    /// `store` is the run's store, for what earlier runs committed (manifest rows, checkpoints); read it only from
    /// the calling thread.
    func read(window: Range<Int64>, store: Store, progress: RunProgress, deliver: (inout SourceBatch) throws -> Void) throws

    /// The positions of delivered batches are committed. Default: nothing to do.
    func committed(_ positions: [SourcePosition])

    /// Objects left unread because the store already holds their events (for the summary). Default: 0.
    var skippedUnchanged: Int { get }
    /// Objects and bytes `prepare` found for the window; nil for a source that cannot know before reading (a
    /// Kinesis stream). The guard against a mistyped source and the progress percentage use them.
    var listed: (objects: Int, bytes: Int64)? { get }
    /// The quarantine `source` names of what `prepare` listed (file paths, `s3://bucket/key`): a rebuild drops
    /// their old quarantine rows before reading them again, so an object now read cleanly leaves none. Default: none.
    var quarantineSources: [String] { get }
}

extension IngestSource {
    public func committed(_ positions: [SourcePosition]) {}
    public var skippedUnchanged: Int { 0 }
    public var listed: (objects: Int, bytes: Int64)? { nil }
    public var quarantineSources: [String] { [] }
}
