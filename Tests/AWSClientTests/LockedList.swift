import Synchronization

/// A thread-safe list for handlers running on server threads.
final class LockedList: Sendable {
    private let list = Mutex<[String]>([])
    var items: [String] { list.withLock { $0 } }
    /// Appends and returns the new count.
    func append(_ item: String) -> Int { list.withLock { $0.append(item); return $0.count } }
}
