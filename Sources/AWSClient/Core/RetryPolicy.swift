import CurlHTTP
import Foundation

/// The SDKs' standard retry mode: exponential backoff with full jitter — before retry `n` (1-based) wait a uniform
/// random time in `0...min(maxDelay, baseDelay * 2^(n-1))`, capped at 20 s by default — and at most `maxAttempts`
/// attempts in total, within a per-transport `RetryQuota`.
///
/// Retried: throttling (`throttlingCodes`, HTTP 429, S3 `503 SlowDown`), the transient codes (`transientCodes`:
/// S3 `RequestTimeout`, `PriorRequestNotComplete`, `InternalError`, ...), HTTP 500/502/503/504 and any other 5xx,
/// and transport failures (refused/reset connections, timeouts, TLS handshakes cut off; not TLS verification).
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(maxAttempts: Int = 8, baseDelay: TimeInterval = 0.1, maxDelay: TimeInterval = 20) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The standard mode's throttling codes (botocore `_THROTTLED_ERROR_CODES` and kin).
    public static let throttlingCodes: Set<String> = [
        "ProvisionedThroughputExceededException", "ThrottlingException", "Throttling", "ThrottledException",
        "LimitExceededException", "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException",
        "TooManyRequestsException", "SlowDown", "RequestLimitExceededException", "BandwidthLimitExceeded",
        "TransactionInProgressException", "PriorRequestNotComplete", "EC2ThrottledException",
    ]

    /// The standard mode's transient codes: the service failed this attempt, the next may well succeed.
    public static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable",
        "IDPCommunicationError", "InternalServerError", "InternalServerException",
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
        if let code, transientCodes.contains(code) { return .transient }
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
