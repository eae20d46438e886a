import CurlHTTP
import Synchronization

/// Running totals for progress reporting; shared by every client built on one `AWSTransport`. Thread-safe: the
/// totals live in one `Mutex`, so a reader never sees a half-recorded attempt.
public final class AWSCounters: Sendable {
    private struct Totals {
        var attempts = 0
        var retries = 0
        var throttles = 0
        var transportErrors = 0
    }

    private let totals = Mutex(Totals())

    public init() {}

    /// HTTP attempts made, retries included.
    public var attempts: Int { totals.withLock { $0.attempts } }
    /// Attempts that were retried.
    public var retries: Int { totals.withLock { $0.retries } }
    /// Responses that were throttling errors.
    public var throttles: Int { totals.withLock { $0.throttles } }
    /// Attempts that got no HTTP response.
    public var transportErrors: Int { totals.withLock { $0.transportErrors } }

    func record(attempt: Bool = false, retry: Bool = false, throttle: Bool = false, transportError: Bool = false) {
        totals.withLock {
            if attempt { $0.attempts += 1 }
            if retry { $0.retries += 1 }
            if throttle { $0.throttles += 1 }
            if transportError { $0.transportErrors += 1 }
        }
    }
}
