/// One data file found in a local archive.
public struct ArchiveFile: Hashable, Sendable {
    /// Absolute path.
    public var path: String
    /// Path below the archive root, `/`-separated, no leading slash.
    public var relativePath: String
    /// Size in bytes on disk (compressed size for `.gz`).
    public var size: Int64
    /// Epoch milliseconds (UTC) of the start of the hour partition holding the file; `nil` when the file is
    /// not inside a complete hour partition. A listing hint only: events carry their own timestamps.
    public var partitionHour: Int64?

    public init(path: String, relativePath: String, size: Int64, partitionHour: Int64?) {
        self.path = path
        self.relativePath = relativePath
        self.size = size
        self.partitionHour = partitionHour
    }
}
