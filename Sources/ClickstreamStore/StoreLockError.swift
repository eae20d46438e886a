#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why `StoreLock` did not take the writer lock: another process holds it, or the database file itself could not be
/// opened or locked (a missing folder, no permission, a file system without `flock`), which no amount of waiting fixes.
public enum StoreLockError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Another process holds the lock; `owner` is what it wrote into the lock file (`pid N, command`).
    case held(databasePath: String, owner: String)
    /// `open(2)` of the database file (to lock it) failed with `errno`.
    case cannotOpen(lockPath: String, errno: Int32)
    /// `flock(2)` failed for a reason other than another holder, with `errno`.
    case cannotLock(lockPath: String, errno: Int32)

    public var description: String {
        switch self {
        case let .held(databasePath, owner):
            return "database \(databasePath) is in use by another clickstream process (\(owner)); wait for it to finish or stop it"
        case let .cannotOpen(lockPath, code):
            return "cannot create or open the database file \(lockPath) to lock it: \(Self.text(code))"
        case let .cannotLock(lockPath, code):
            return "cannot lock the database file \(lockPath): \(Self.text(code))"
        }
    }

    /// True when waiting for the other process would help.
    public var isHeld: Bool {
        if case .held = self { return true }
        return false
    }

    private static func text(_ code: Int32) -> String { String(cString: strerror(code)) }
}
