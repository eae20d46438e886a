/// Counts of one ingest, summed over workers and batches.
public struct IngestStats: Equatable, Sendable {
    /// Documents seen (accepted or rejected), including those outside the window.
    public var documents = 0
    /// Accepted events inside the window (before dedupe).
    public var inWindow = 0
    /// Accepted events whose timestamp lies outside the window (skipped, not an error).
    public var outOfWindow = 0
    /// Distinct events not seen before (this run or earlier ones).
    public var distinctNew = 0
    /// Events already ingested (earlier in this run, or by an earlier run).
    public var duplicates = 0
    /// Rejections by reason.
    public var quarantined: [QuarantineReason: Int] = [:]
    /// Objects (files, S3 objects, records) read.
    public var objects = 0
    /// Bytes read (after decompression).
    public var bytes = 0

    public init() {}

    public var quarantinedTotal: Int { quarantined.values.reduce(0, +) }

    public mutating func add(_ o: IngestStats) {
        documents += o.documents
        inWindow += o.inWindow
        outOfWindow += o.outOfWindow
        distinctNew += o.distinctNew
        duplicates += o.duplicates
        objects += o.objects
        bytes += o.bytes
        for (k, v) in o.quarantined { quarantined[k, default: 0] += v }
    }
}
