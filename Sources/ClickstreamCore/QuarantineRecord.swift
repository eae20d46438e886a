/// A rejected line or object as the `quarantine` table stores it.
public struct QuarantineRecord: Equatable, Sendable {
    /// Where it came from: a file path, `s3://bucket/key` or `kinesis://stream/shard`.
    public var source: String
    /// Inside the source: `line 12`, `object`, `sequence 4960...` (`locationPrefix` then `line N` when `line` is set).
    public var location: String { line.map { "\(locationPrefix)line \($0)" } ?? locationPrefix }
    /// The location without its line: `object`, `sequence 4960... `, or empty.
    public var locationPrefix: String
    /// The 1-based line of a rejected document; kept as a number so a later segment of a large file can be
    /// renumbered once the lines before it are counted.
    public var line: Int?
    public var reason: QuarantineReason
    /// One sentence naming the field and what was wrong.
    public var message: String
    /// The rejected bytes, cut at 4 KiB.
    public var raw: [UInt8]

    public static let rawLimit = 4096

    public init(source: String, location: String, line: Int? = nil, reason: QuarantineReason, message: String,
                raw: UnsafeRawBufferPointer) {
        self.source = source
        locationPrefix = location
        self.line = line
        self.reason = reason
        self.message = message
        self.raw = Array(raw.prefix(Self.rawLimit))
    }
}
