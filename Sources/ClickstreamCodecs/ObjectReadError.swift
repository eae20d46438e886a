/// Why one object (file, S3 object, record) could not be read. Such an object is quarantined as `unreadable`
/// as a whole: none of its events count. The description names the object and what failed, e.g.
/// `cannot read '/data/archive/x.json.gz': truncated gzip stream`.
public struct ObjectReadError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Error, Hashable, Sendable, CustomStringConvertible {
        /// The gzip data ends before its last member does.
        case truncatedGzip
        /// zlib rejected the data; the payload is zlib's message.
        case corruptGzip(String)
        /// A system call failed; the payload is `strerror`'s text.
        case io(String)
        /// The data inflates to more than `limit` bytes (`CLICKSTREAM_MAX_INFLATED_BYTES`): a gzip bomb, or an
        /// object too large to hold in memory whole.
        case tooLarge(limit: Int)

        public var description: String {
            switch self {
            case .truncatedGzip: return "truncated gzip stream"
            case .corruptGzip(let message): return "corrupt gzip data: \(message)"
            case .io(let message): return "I/O error: \(message)"
            case .tooLarge(let limit):
                return "gzip data inflates to more than \(limit) bytes, the limit for one object (CLICKSTREAM_MAX_INFLATED_BYTES)"
            }
        }
    }

    /// The file path, or whatever name the caller gave the in-memory bytes.
    public var path: String
    public var kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    public var description: String { "cannot read '\(path)': \(kind)" }
}
