#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One writer per database: an exclusive `flock` on `<db>.lock`, held for the life of this value. The kernel
/// drops it when the process dies (SIGKILL included), so a crashed run never leaves a stale lock. The file holds
/// the owner's pid and command so the refusal can say who holds it.
public final class StoreLock {
    public struct Held: Error, CustomStringConvertible {
        public let databasePath: String
        public let owner: String
        public var description: String {
            "database \(databasePath) is in use by another clickstream process (\(owner)); wait for it to finish or stop it"
        }
    }

    private let fd: Int32
    public let path: String

    /// Takes the lock or throws `Held` at once (never waits).
    public init(databasePath: String, command: String) throws {
        path = databasePath + ".lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Held(databasePath: databasePath, owner: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buf = [UInt8](repeating: 0, count: 512)
            let n = pread(fd, &buf, buf.count, 0)
            close(fd)
            let owner = n > 0 ? String(decoding: buf[..<n], as: UTF8.self).trimmingWhitespace : "unknown owner"
            throw Held(databasePath: databasePath, owner: owner)
        }
        let text = Array("pid \(getpid()), \(command)\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
