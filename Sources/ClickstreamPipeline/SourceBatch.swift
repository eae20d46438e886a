import ClickstreamCore

/// What a source hands the pipeline at a time: parsed worker buffers and the source positions they cover. The
/// pipeline commits the buffers' rows and the positions together, then acknowledges them to the source
/// (`IngestSource.committed`).
public struct SourceBatch {
    public var buffers: [IngestBuffer]
    public var positions: [SourcePosition]
    /// Records read from the source for this batch (S3 objects, Kinesis records): for status lines.
    public var records: Int

    public init(buffers: [IngestBuffer] = [], positions: [SourcePosition] = [], records: Int = 0) {
        self.buffers = buffers
        self.positions = positions
        self.records = records
    }

    /// Nothing to write: no events, no rejections, no positions.
    public var isEmpty: Bool { positions.isEmpty && buffers.allSatisfy { $0.isEmpty && $0.stats.documents == 0 && $0.stats.objects == 0 } }
}
