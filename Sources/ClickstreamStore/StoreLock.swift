#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One writer per database: an exclusive `flock` on `<db>.lock`, held for the life of this value. The kernel
/// drops it when the process dies (SIGKILL included), so a crashed run never leaves a stale lock. The file holds
/// the owner's pid and command so the refusal can say who holds it.
public final class StoreLock: Sendable {
    private let fd: Int32
    public let path: String

    /// Takes the lock or throws at once (never waits): `StoreLockError.held` naming the holder when another
    /// process has it; `cannotOpen` / `cannotLock` with the system's reason when the lock file cannot be used.
    public init(databasePath: String, command: String) throws(StoreLockError) {
        path = databasePath + ".lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotOpen(lockPath: path, errno: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK else {
                close(fd)
                throw .cannotLock(lockPath: path, errno: code)
            }
            var buf = [UInt8](repeating: 0, count: 512)
            let n = pread(fd, &buf, buf.count, 0)
            close(fd)
            let owner = n > 0 ? Self.trimmingWhitespace(String(decoding: buf[..<n], as: UTF8.self)) : "unknown owner"
            throw .held(databasePath: databasePath, owner: owner)
        }
        let text = Array("pid \(getpid()), \(command)\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }

    private static func trimmingWhitespace(_ text: String) -> String {
        var s = Substring(text)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
