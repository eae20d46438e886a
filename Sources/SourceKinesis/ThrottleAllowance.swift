import AWSClient
import Synchronization

/// How long a window replay's readers may wait out throttling, in total, over every shard
/// (`--max-throttle-wait`): throttling is weather, and a multi-hour replay must not be lost to a burst, but a
/// shard throttled without end must still end the run, naming the shard.
final class ThrottleAllowance: Sendable {
    let limit: Double
    private let waited = Mutex(0.0)

    init(seconds: Double) { limit = seconds }

    /// Takes `seconds` from the allowance; false when it would run past the limit.
    func take(_ seconds: Double) -> Bool {
        waited.withLock { w in
            guard w + seconds <= limit else { return false }
            w += seconds
            return true
        }
    }

    var total: Double { waited.withLock { $0 } }

    /// Full-jitter backoff for the `n`th consecutive throttled call of one shard, capped near 30 s as the Kinesis
    /// Client Library does.
    static func delay(attempt n: Int) -> Double {
        let ceiling = min(30, 0.2 * Double(1 << min(n, 16)))
        return Double.random(in: ceiling / 2 ... ceiling)
    }

    /// Kinesis answers that mean "not now" rather than "never": throttling, KMS throttling, 5xx, and a transfer
    /// that failed on the way (no HTTP status: a reset, a timeout).
    static func isWeather(_ error: AWSError) -> Bool {
        if error.isThrottling || error.httpStatus == nil { return true }
        if let code = error.code, ["ProvisionedThroughputExceededException", "LimitExceededException", "KMSThrottlingException",
                                   "InternalFailure", "ServiceUnavailable"].contains(code) { return true }
        return (error.httpStatus ?? 0) >= 500
    }
}
