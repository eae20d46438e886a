import CurlHTTP
import Foundation

/// Exponential backoff with full jitter: before retry `n` (1-based) wait a uniform random time in
/// `0...min(maxDelay, baseDelay * 2^(n-1))`. At most `maxAttempts` attempts in total.
///
/// Retried: throttling (`throttlingCodes`, HTTP 429, S3 `503 SlowDown`), any HTTP 5xx, and transport failures
/// (refused/reset connections, timeouts; not TLS verification failures).
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(maxAttempts: Int = 8, baseDelay: TimeInterval = 0.1, maxDelay: TimeInterval = 5) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static let throttlingCodes: Set<String> = [
        "ProvisionedThroughputExceededException", "ThrottlingException", "Throttling", "ThrottledException",
        "LimitExceededException", "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException",
        "TooManyRequestsException", "SlowDown", "RequestLimitExceededException",
    ]

    public enum Decision: Sendable, Equatable {
        case throttled
        case transient
        case fatal
    }

    /// How to treat an HTTP error response.
    public static func classify(status: Int, code: String?) -> Decision {
        if let code, throttlingCodes.contains(code) { return .throttled }
        if status == 429 { return .throttled }
        if status >= 500 { return .transient }
        return .fatal
    }

    /// Seconds to wait before retry number `retry` (1 for the first retry).
    public func delay(beforeRetry retry: Int) -> TimeInterval {
        let exponent = min(max(0, retry - 1), 30)
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(exponent)))
        return ceiling > 0 ? Double.random(in: 0...ceiling) : 0
    }
}
