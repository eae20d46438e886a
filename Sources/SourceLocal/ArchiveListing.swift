/// The result of one walk of a local archive: the files that may hold events of the window, and what the
/// walk did to find them (for progress and summaries).
public struct ArchiveListing: Hashable, Sendable {
    /// Sorted by `relativePath` (byte order), so every run reads the same files in the same order.
    public var files: [ArchiveFile]
    /// Directories opened and read, the root included.
    public var directoriesVisited: Int
    /// Directories not opened because their partition cannot hold events of the window (with slack).
    public var directoriesPruned: Int
    /// Files and folders ignored because their name starts with `_` or `.`, or because they are neither
    /// regular files nor directories.
    public var entriesSkipped: Int
    /// Folders below the root that could not be opened (absolute path to the system's reason): each becomes one
    /// `unreadable` quarantine row, and the rest of the archive is read.
    public var unreadableDirectories: [String: String] = [:]

    public init(files: [ArchiveFile], directoriesVisited: Int, directoriesPruned: Int, entriesSkipped: Int) {
        self.files = files
        self.directoriesVisited = directoriesVisited
        self.directoriesPruned = directoriesPruned
        self.entriesSkipped = entriesSkipped
    }

    /// Sum of the files' sizes in bytes.
    public var totalBytes: Int64 { files.reduce(0) { $0 + $1.size } }
}
