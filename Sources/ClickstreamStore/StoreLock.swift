#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One writer per database file: an exclusive `flock` on the database file itself, held for the life of this
/// value. Locking the file (its inode), not the `--db` string, means a symlink or a hard link to a database in
/// use is refused like its own name. The kernel drops the lock when the process dies (SIGKILL included), so a
/// crashed run never leaves a stale lock. SQLite locks with `fcntl`, which on Linux does not interact with `flock`.
///
/// Who holds it is written to `<resolved path>.lock` (`pid N, command`), itself `flock`ed while held, so the
/// refusal can name the holder; a holder under a hard link's other name is reported as such.
///
/// The descriptor on the database file must outlive every SQLite connection of this process to that file:
/// closing any descriptor of a file drops the process's `fcntl` locks on it, SQLite's included. `Store` keeps
/// its lock alive until its connection is closed (`Database.keepAlive`).
public final class StoreLock: Sendable {
    private let fd: Int32
    private let ownerFD: Int32
    /// The owner file: `<resolved database path>.lock`.
    public let path: String
    /// The database file's identity, `device:inode`.
    public let identity: String

    /// Takes the lock or throws at once (never waits): `StoreLockError.held` naming the holder when another
    /// process has it; `cannotOpen` / `cannotLock` with the system's reason when the file cannot be used.
    public init(databasePath: String, command: String) throws(StoreLockError) {
        // The database file is created here (empty, which SQLite takes as a new database) so that there is an
        // inode to lock before SQLite opens it.
        fd = open(databasePath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotOpen(lockPath: databasePath, errno: errno) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let code = errno
            close(fd)
            throw .cannotLock(lockPath: databasePath, errno: code)
        }
        identity = "\(st.st_dev):\(st.st_ino)"
        path = Self.resolved(databasePath) + ".lock"
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            close(fd)
            guard code == EWOULDBLOCK else { throw .cannotLock(lockPath: databasePath, errno: code) }
            throw .held(databasePath: databasePath, owner: Self.owner(at: path))
        }
        // Best effort: the owner file only names the holder; the lock is the one on the database file.
        ownerFD = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if ownerFD >= 0 && flock(ownerFD, LOCK_EX | LOCK_NB) == 0 {
            let text = Array("pid \(getpid()), \(command)\n".utf8)
            _ = ftruncate(ownerFD, 0)
            _ = text.withUnsafeBytes { pwrite(ownerFD, $0.baseAddress, $0.count, 0) }
        }
    }

    deinit {
        if ownerFD >= 0 { close(ownerFD) }
        flock(fd, LOCK_UN)
        close(fd)
    }

    /// What the holder wrote, when its owner file is itself held (so not a leftover of an earlier run).
    private static func owner(at path: String) -> String {
        let unknown = "pid unknown: the same database file is held under another name (a hard link)"
        let f = open(path, O_RDONLY | O_CLOEXEC)
        guard f >= 0 else { return unknown }
        defer { close(f) }
        if flock(f, LOCK_SH | LOCK_NB) == 0 { return unknown }
        var buf = [UInt8](repeating: 0, count: 512)
        let n = pread(f, &buf, buf.count, 0)
        return n > 0 ? trimmingWhitespace(String(decoding: buf[..<n], as: UTF8.self)) : "unknown owner"
    }

    /// The path with symlinks resolved (a symlink's holder and its target's share an owner file).
    private static func resolved(_ path: String) -> String {
        guard let p = realpath(path, nil) else { return path }
        defer { free(p) }
        return String(cString: p)
    }

    private static func trimmingWhitespace(_ text: String) -> String {
        var s = Substring(text)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
