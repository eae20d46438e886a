import ClickstreamStore

/// Where a source stands once a batch is committed: what the store must remember, in the same transaction as the
/// batch's rows, so that a later run neither reads again what it has nor skips what it lacks.
public enum SourcePosition: Equatable, Sendable {
    /// An S3 object read intact: a later replay inside `covered` skips it while key, ETag and size are unchanged.
    case object(Store.ObjectManifestEntry)
    /// The last record of a shard in the batch (its checkpoint), with the shard's lag as last reported.
    case shard(stream: String, shardId: String, sequenceNumber: String, millisBehind: Int64?)
    /// A shard's lag refreshed without new records (its checkpoint stays).
    case shardLag(stream: String, shardId: String, millisBehind: Int64?)
}
