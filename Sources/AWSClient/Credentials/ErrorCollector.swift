import Foundation
import Synchronization

/// A child process's standard error, read on a helper thread and handed back once: a condition the reader
/// signals, so the waiting thread never reads the bytes half-written.
final class ErrorCollector: Sendable {
    private let data = Mutex<Data?>(nil)
    private let done = DispatchSemaphore(value: 0)

    func set(_ value: Data) {
        data.withLock { $0 = value }
        done.signal()
    }

    func wait() -> Data {
        done.wait()
        return data.withLock { $0 ?? Data() }
    }
}
