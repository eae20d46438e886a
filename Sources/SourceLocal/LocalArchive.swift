import ArchiveLayout
import ClickstreamCore
import ClickstreamPipeline
import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A local copy of the S3 archive: `./archive`, `/data/archive` or `file:///data/archive`.
///
/// Listing walks the tree with POSIX calls (`openat`/`readdir`/`fstatat`) and prunes every directory whose
/// partition (see `PartitionPath`) cannot hold events of the window widened by `slack` on both sides; such
/// directories are never opened. Files outside any recognised partition are always listed, because their
/// events are filtered later by their own timestamps. Names starting with `_` or `.` (files and folders)
/// are not data and are skipped. Symbolic links are followed; a link back to an ancestor is skipped.
public struct LocalArchive: Sendable {
    /// The absolute path of the root directory, without a trailing slash (except for `/` itself); for a single
    /// file or a glob's matches, the folder they are named relative to.
    public let root: String
    /// Set when the source names files rather than a folder (`day.ndjson`, `'exports/*.json.gz'`): exactly these
    /// are read, whatever their partition, and their events are filtered by their own timestamps.
    public let namedFiles: [String]?

    /// Resolves `root` (a relative or absolute path, or a `file://` URL) to an absolute path and checks that it
    /// is a readable directory. Throws a `LocalArchiveError` naming `root` as given.
    public init(root: String) throws {
        let path = try LocalArchive.absolutePath(of: root)
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw LocalArchiveError(path: root, kind: .rootNotFound) }
            throw LocalArchiveError(path: root, kind: .unreadable(LocalArchive.describe(code)))
        }
        if info.st_mode & S_IFMT == S_IFREG {
            self.root = (path as NSString).deletingLastPathComponent
            namedFiles = [path]
            return
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw LocalArchiveError(path: root, kind: .rootNotDirectory)
        }
        guard access(path, R_OK | X_OK) == 0 else {
            throw LocalArchiveError(path: root, kind: .unreadable(LocalArchive.describe(errno)))
        }
        self.root = path
        namedFiles = nil
    }

    /// The regular files a glob pattern matches (`glob(3)`), sorted; a pattern matching none is an error naming it.
    public init(glob pattern: String) throws {
        var g = glob_t()
        defer { globfree(&g) }
        let rc = glob(pattern, 0, nil, &g)
        var files: [String] = []
        if rc == 0 {
            for i in 0..<Int(g.gl_pathc) {
                guard let p = g.gl_pathv[i] else { continue }
                let path = try LocalArchive.absolutePath(of: String(cString: p))
                var info = stat()
                if stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG { files.append(path) }
            }
        }
        guard !files.isEmpty else { throw LocalArchiveError(path: pattern, kind: .rootNotFound) }
        root = try LocalArchive.absolutePath(of: ".")
        namedFiles = files.sorted()
    }

    /// Whether a local source is a glob pattern rather than a path.
    public static func isGlob(_ path: String) -> Bool { path.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

    /// The files that may hold events of `[from, to)` (epoch milliseconds, UTC), sorted by relative path.
    /// Directories whose partition lies entirely outside `[from - slack, to + slack)` are pruned.
    public func files(from: Int64, to: Int64, slack: Int64 = 3_600_000) throws -> [ArchiveFile] {
        try list(from: from, to: to, slack: slack).files
    }

    /// Same as `files(from:to:slack:)`, with the walk's counters.
    public func list(from: Int64, to: Int64, slack: Int64 = 3_600_000) throws -> ArchiveListing {
        if let namedFiles {
            var files: [ArchiveFile] = []
            for path in namedFiles {
                var info = stat()
                guard stat(path, &info) == 0 else { throw LocalArchiveError(path: path, kind: .unreadable(LocalArchive.describe(errno))) }
                let relative = path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
                files.append(ArchiveFile(path: path, relativePath: relative, size: Int64(info.st_size), partitionHour: nil))
            }
            return ArchiveListing(files: files, directoriesVisited: 0, directoriesPruned: 0, entriesSkipped: 0)
        }
        let widen = max(0, slack)
        let lower = from.subtractingReportingOverflow(widen)
        let upper = to.addingReportingOverflow(widen)
        var walk = Walk(
            root: root,
            from: lower.overflow ? Int64.min : lower.partialValue,
            to: upper.overflow ? Int64.max : upper.partialValue)
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw LocalArchiveError(path: root, kind: .unreadable(LocalArchive.describe(errno)))
        }
        try walk.visit(fd: fd, relativePath: "", cursor: PartitionCursor())
        let removed = Self.measureSizes(&walk.files)
        walk.skipped += removed
        walk.files.sort { $0.relativePath < $1.relativePath }
        var listing = ArchiveListing(
            files: walk.files,
            directoriesVisited: walk.visited,
            directoriesPruned: walk.pruned,
            entriesSkipped: walk.skipped)
        listing.unreadableDirectories = walk.unreadable
        return listing
    }

    /// Fills in the sizes the walk left unknown (-1) with `stat`, on 16 threads: on a cold cache each one waits
    /// for the disk, and 200,000 of them one at a time took seconds. Files gone since the walk are dropped;
    /// returns how many.
    static func measureSizes(_ files: inout [ArchiveFile]) -> Int {
        let pending = files.indices.filter { files[$0].size < 0 }
        guard !pending.isEmpty else { return 0 }
        let threads = min(16, pending.count)
        let paths = pending.map { files[$0].path }
        // Each thread measures every `threads`-th path and hands back (index, size) for the regular files found.
        let measured = WorkerResults<[(Int, Int64)]>(count: threads)
        WorkerThreads.run(threads, stackSize: 1 << 19) { t in
            var info = stat()
            var found: [(Int, Int64)] = []
            var i = t
            while i < paths.count {
                if stat(paths[i], &info) == 0 && info.st_mode & S_IFMT == S_IFREG { found.append((i, Int64(info.st_size))) }
                i += threads
            }
            measured.set(t, found)
        }
        var sizes = [Int64](repeating: -1, count: pending.count)
        for (k, size) in measured.values.joined() { sizes[k] = size }
        var gone = Set<Int>()
        for (k, i) in pending.enumerated() {
            if sizes[k] >= 0 { files[i].size = sizes[k] } else { gone.insert(i) }
        }
        if !gone.isEmpty {
            files = files.indices.filter { !gone.contains($0) }.map { files[$0] }
        }
        return gone.count
    }

    // MARK: - Walking

    private struct DirectoryID: Equatable {
        var device: UInt64
        var inode: UInt64
    }

    private struct Walk {
        let root: String
        let from: Int64
        let to: Int64
        var files: [ArchiveFile] = []
        var visited = 0
        var pruned = 0
        var skipped = 0
        /// Sub-folders that could not be opened, by absolute path: the system's reason.
        var unreadable: [String: String] = [:]
        /// The directories from the root down to the one being read, to detect symbolic-link cycles.
        var ancestors: [DirectoryID] = []

        init(root: String, from: Int64, to: Int64) {
            self.root = root
            self.from = from
            self.to = to
        }

        func absolute(_ relativePath: String) -> String {
            if relativePath.isEmpty { return root }
            return root == "/" ? "/" + relativePath : root + "/" + relativePath
        }

        /// Reads the directory open at `fd` (taking ownership of it) and everything below it that may hold
        /// events of the window.
        mutating func visit(fd: Int32, relativePath: String, cursor: PartitionCursor) throws {
            var info = stat()
            guard fstat(fd, &info) == 0 else {
                let code = errno
                close(fd)
                throw LocalArchiveError(path: absolute(relativePath), kind: .unreadable(LocalArchive.describe(code)))
            }
            let id = DirectoryID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            if ancestors.contains(id) {
                close(fd)
                skipped += 1
                return
            }
            guard let directory = fdopendir(fd) else {
                let code = errno
                close(fd)
                throw LocalArchiveError(path: absolute(relativePath), kind: .unreadable(LocalArchive.describe(code)))
            }
            defer { closedir(directory) }
            visited += 1
            ancestors.append(id)
            defer { ancestors.removeLast() }

            let directoryFD = dirfd(directory)
            let hourStart = cursor.hourStart
            let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            while true {
                errno = 0
                guard let entry = readdir(directory) else {
                    let code = errno
                    if code != 0 {
                        throw LocalArchiveError(
                            path: absolute(relativePath), kind: .unreadable(LocalArchive.describe(code)))
                    }
                    break
                }
                let namePointer = UnsafeRawPointer(entry).advanced(by: nameOffset).assumingMemoryBound(to: CChar.self)
                let first = UInt8(bitPattern: namePointer.pointee)
                // `.`, `..`, hidden files and `_SUCCESS`-style markers are not data.
                if first == UInt8(ascii: ".") || first == UInt8(ascii: "_") {
                    if !LocalArchive.isDotOrDotDot(namePointer) { skipped += 1 }
                    continue
                }
                var isDirectory = false
                var size: Int64 = 0
                let type = entry.pointee.d_type
                if type == UInt8(DT_DIR) {
                    isDirectory = true
                } else if type == UInt8(DT_REG) {
                    size = -1 // measured after the walk, many at a time (see `measureSizes`)
                } else {
                    // Regular files need their size; links and unknown types need their target's type.
                    var entryInfo = stat()
                    guard fstatat(directoryFD, namePointer, &entryInfo, 0) == 0 else {
                        let code = errno
                        if code == ENOENT || code == ELOOP {
                            // A dangling or looping symbolic link, or a file removed during the walk.
                            skipped += 1
                            continue
                        }
                        let name = String(cString: namePointer)
                        throw LocalArchiveError(
                            path: absolute(join(relativePath, name)), kind: .unreadable(LocalArchive.describe(code)))
                    }
                    switch entryInfo.st_mode & S_IFMT {
                    case S_IFDIR: isDirectory = true
                    case S_IFREG: size = Int64(entryInfo.st_size)
                    default:
                        skipped += 1
                        continue
                    }
                }
                let name = String(cString: namePointer)
                let childPath = join(relativePath, name)
                if isDirectory {
                    let childCursor = cursor.descending(into: name)
                    guard childCursor.mayHold(from: from, to: to) else {
                        pruned += 1
                        continue
                    }
                    let childFD = openat(directoryFD, namePointer, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                    guard childFD >= 0 else {
                        // One folder that cannot be opened (permissions, an I/O error) is one unreadable row, not
                        // a failed run: the rest of the archive is still there.
                        unreadable[absolute(childPath)] = LocalArchive.describe(errno)
                        continue
                    }
                    try visit(fd: childFD, relativePath: childPath, cursor: childCursor)
                } else {
                    files.append(ArchiveFile(
                        path: absolute(childPath), relativePath: childPath, size: size, partitionHour: hourStart))
                }
            }
        }

        private func join(_ parent: String, _ name: String) -> String {
            parent.isEmpty ? name : parent + "/" + name
        }
    }

    // MARK: - Paths

    private static func isDotOrDotDot(_ name: UnsafePointer<CChar>) -> Bool {
        let dot = CChar(UInt8(ascii: "."))
        return name[0] == dot && (name[1] == 0 || (name[1] == dot && name[2] == 0))
    }

    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// `file:///x` → `/x` (`FileURL`); relative paths are made absolute against the working directory; `.`
    /// components, repeated and trailing slashes are removed (`..` is kept: it means what the file system says).
    static func absolutePath(of location: String) throws -> String {
        var path: String
        do { path = try FileURL.path(of: location) } catch let e as FileURL.Invalid {
            throw LocalArchiveError(path: location, kind: .unsupportedURL(e.reason))
        }
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            guard getcwd(&buffer, buffer.count) != nil else {
                throw LocalArchiveError(path: location, kind: .unreadable("cannot get the working directory: \(describe(errno))"))
            }
            let cwd = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            path = cwd + "/" + path
        }
        let components = path.split(separator: "/").filter { $0 != "." }
        return "/" + components.joined(separator: "/")
    }

}
