import CurlHTTP
import Foundation
import Synchronization

/// Signs, sends and retries AWS calls over one `HTTPClient`; the service clients are thin layers over it.
///
/// Every attempt is signed afresh (new `x-amz-date`) with the credentials `config.credentials` holds at that moment.
/// A call succeeds on HTTP 2xx; otherwise it is retried per `retryPolicy` and finally fails with an `AWSError`.
/// Two answers get one extra, immediate attempt outside that budget, as the SDKs do: an expired token
/// (`ExpiredToken`, `ExpiredTokenException`, `RequestExpired`) refreshes refreshable credentials first, and a clock
/// skew error (`RequestTimeTooSkewed`, "Signature expired", ...) whose `Date` header shows the local clock more
/// than a minute off corrects the signing clock from it (kept for later calls). Thread-safety: as `HTTPClient`
/// (calls are serialised).
public final class AWSTransport: Sendable {
    public let config: AWSConfig
    public let retryPolicy: RetryPolicy
    public let counters: AWSCounters
    public let http: HTTPClient
    private let signers: [AWSService: SigV4Signer]
    /// Seconds to add to the local clock when signing (server time minus local time, learnt from a skew error).
    private let clockOffset = Mutex<TimeInterval>(0)

    public init(config: AWSConfig, retryPolicy: RetryPolicy = RetryPolicy(),
                httpConfiguration: HTTPClient.Configuration = HTTPClient.Configuration(),
                counters: AWSCounters = AWSCounters()) throws {
        self.config = config
        self.retryPolicy = retryPolicy
        self.counters = counters
        http = try HTTPClient(configuration: httpConfiguration)
        var signers: [AWSService: SigV4Signer] = [:]
        for service in AWSService.allCases {
            signers[service] = SigV4Signer(region: config.region, service: service.rawValue)
        }
        self.signers = signers
    }

    /// The signing clock's correction in seconds (0 until a skew error taught otherwise).
    public var clockCorrection: TimeInterval { clockOffset.withLock { $0 } }

    static let expiredTokenCodes: Set<String> = ["ExpiredToken", "ExpiredTokenException", "RequestExpired"]
    static let skewCodes: Set<String> = [
        "RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", "InvalidSignatureException", "SignatureDoesNotMatch",
        "AuthFailure", "InvalidSignature",
    ]

    /// Runs one call to completion (with retries) and returns its 2xx response.
    public func execute(_ call: AWSCall) throws -> HTTPResponse {
        var outcome: Result<HTTPResponse, AWSError>!
        try execute([call], concurrency: 1) { _, result in outcome = result }
        return try outcome.get()
    }

    /// Runs `calls` with at most `concurrency` attempts in flight; `onComplete(index, result)` runs once per call,
    /// as soon as it has succeeded or run out of attempts. Retries wait their backoff without blocking other calls.
    /// Throws before sending anything when credentials cannot be had (an `AWSConfigError` or `AWSError`).
    public func execute(_ calls: [AWSCall], concurrency: Int,
                        onComplete: (Int, Result<HTTPResponse, AWSError>) -> Void) throws {
        var attempts = [Int](repeating: 0, count: calls.count)
        var ready = Array(calls.indices.reversed())  // popLast takes the first call first
        var delayed: [(at: Date, index: Int)] = []
        var refreshedFor = Set<Int>()
        var skewRetriedFor = Set<Int>()
        // Fetched before the batch so that a provider that cannot deliver fails the call with its own message.
        var credentials: AWSCredentials? = calls.contains(where: \.signed) ? try config.credentials.current() : nil

        try http.drive(concurrency: concurrency, next: {
            if ready.isEmpty, !delayed.isEmpty {
                let now = Date()
                delayed.sort { $0.at < $1.at }
                while let first = delayed.first, first.at <= now {
                    ready.insert(first.index, at: 0)
                    delayed.removeFirst()
                }
                if ready.isEmpty { return .wait(delayed[0].at.timeIntervalSince(now)) }
            }
            guard let index = ready.popLast() else { return .exhausted }
            attempts[index] += 1
            counters.record(attempt: true)
            let call = calls[index]
            guard call.signed else { return .request(call.request, tag: index) }
            // A refresh that fails keeps the last good credentials; AWS's answer will say if they no longer work.
            if let fresh = try? config.credentials.current() { credentials = fresh }
            let date = Date().addingTimeInterval(clockOffset.withLock { $0 })
            return .request(signers[call.service]!.sign(call.request, credentials: credentials!, date: date), tag: index)
        }, onComplete: { index, result in
            let call = calls[index]
            let attempt = attempts[index]
            let failure: AWSError
            let retryable: Bool
            switch result {
            case let .success(response) where (200..<300).contains(response.status):
                onComplete(index, .success(response))
                return
            case let .success(response):
                let (code, message) = AWSError.details(of: response)
                if call.signed, let code, Self.skewCodes.contains(code), !skewRetriedFor.contains(index),
                   let serverDate = response.header("date").flatMap(CredentialDates.parseHTTPDate) {
                    let offset = serverDate.timeIntervalSinceNow
                    let current = clockOffset.withLock { $0 }
                    if abs(offset - current) > 60 {
                        skewRetriedFor.insert(index)
                        clockOffset.withLock { $0 = offset }
                        counters.record(retry: true)
                        ready.append(index)
                        return
                    }
                }
                if call.signed, let code, Self.expiredTokenCodes.contains(code), !refreshedFor.contains(index), config.credentials.isRefreshable {
                    refreshedFor.insert(index)
                    config.credentials.invalidate()
                    counters.record(retry: true)
                    ready.append(index)
                    return
                }
                let decision = RetryPolicy.classify(status: response.status, code: code)
                if decision == .throttled { counters.record(throttle: true) }
                retryable = decision != .fatal
                failure = AWSError(service: call.service, operation: call.operation, resource: call.resource,
                                   httpStatus: response.status, code: code, message: message, attempts: attempt,
                                   isThrottling: decision == .throttled)
            case let .failure(error):
                counters.record(transportError: true)
                retryable = error.isRetryable
                failure = AWSError(service: call.service, operation: call.operation, resource: call.resource,
                                   httpStatus: nil, code: nil, message: error.description, attempts: attempt)
            }
            if retryable && attempt < retryPolicy.maxAttempts + (refreshedFor.contains(index) ? 1 : 0) + (skewRetriedFor.contains(index) ? 1 : 0) {
                counters.record(retry: true)
                delayed.append((Date(timeIntervalSinceNow: retryPolicy.delay(beforeRetry: attempt)), index))
            } else {
                onComplete(index, .failure(failure))
            }
        })
    }
}
