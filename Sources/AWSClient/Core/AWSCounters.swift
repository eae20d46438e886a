import Foundation

/// Running totals for progress reporting; shared by every client built on one `AWSTransport`. Thread-safe.
public final class AWSCounters: @unchecked Sendable {
    private let lock = NSLock()
    private var _attempts = 0
    private var _retries = 0
    private var _throttles = 0
    private var _transportErrors = 0

    public init() {}

    /// HTTP attempts made, retries included.
    public var attempts: Int { read { $0._attempts } }
    /// Attempts that were retried.
    public var retries: Int { read { $0._retries } }
    /// Responses that were throttling errors.
    public var throttles: Int { read { $0._throttles } }
    /// Attempts that got no HTTP response.
    public var transportErrors: Int { read { $0._transportErrors } }

    func record(attempt: Bool = false, retry: Bool = false, throttle: Bool = false, transportError: Bool = false) {
        lock.lock()
        if attempt { _attempts += 1 }
        if retry { _retries += 1 }
        if throttle { _throttles += 1 }
        if transportError { _transportErrors += 1 }
        lock.unlock()
    }

    private func read(_ body: (AWSCounters) -> Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return body(self)
    }
}
