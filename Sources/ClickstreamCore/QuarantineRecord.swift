/// A rejected line or object as the `quarantine` table stores it.
public struct QuarantineRecord: Equatable, Sendable {
    /// Where it came from: a file path, `s3://bucket/key` or `kinesis://stream/shard`.
    public var source: String
    /// Inside the source: `line 12`, `object`, `sequence 4960...`.
    public var location: String
    public var reason: QuarantineReason
    /// One sentence naming the field and what was wrong.
    public var message: String
    /// The rejected bytes, cut at 4 KiB.
    public var raw: [UInt8]

    public static let rawLimit = 4096

    public init(source: String, location: String, reason: QuarantineReason, message: String, raw: UnsafeRawBufferPointer) {
        self.source = source
        self.location = location
        self.reason = reason
        self.message = message
        self.raw = Array(raw.prefix(Self.rawLimit))
    }
}
