import CurlHTTP
import Foundation

/// Signs, sends and retries AWS calls over one `HTTPClient`; the service clients are thin layers over it.
///
/// Every attempt is signed afresh (new `x-amz-date`). A call succeeds on HTTP 2xx; otherwise it is retried per
/// `retryPolicy` and finally fails with an `AWSError`. Thread-safety: as `HTTPClient` (calls are serialised).
public final class AWSTransport: Sendable {
    public let config: AWSConfig
    public let retryPolicy: RetryPolicy
    public let counters: AWSCounters
    public let http: HTTPClient
    private let signers: [AWSService: SigV4Signer]

    public init(config: AWSConfig, retryPolicy: RetryPolicy = RetryPolicy(),
                httpConfiguration: HTTPClient.Configuration = HTTPClient.Configuration(),
                counters: AWSCounters = AWSCounters()) throws {
        self.config = config
        self.retryPolicy = retryPolicy
        self.counters = counters
        http = try HTTPClient(configuration: httpConfiguration)
        var signers: [AWSService: SigV4Signer] = [:]
        for service in AWSService.allCases {
            signers[service] = SigV4Signer(credentials: config.credentials, region: config.region, service: service.rawValue)
        }
        self.signers = signers
    }

    /// Runs one call to completion (with retries) and returns its 2xx response.
    public func execute(_ call: AWSCall) throws -> HTTPResponse {
        var outcome: Result<HTTPResponse, AWSError>!
        try execute([call], concurrency: 1) { _, result in outcome = result }
        return try outcome.get()
    }

    /// Runs `calls` with at most `concurrency` attempts in flight; `onComplete(index, result)` runs once per call,
    /// as soon as it has succeeded or run out of attempts. Retries wait their backoff without blocking other calls.
    public func execute(_ calls: [AWSCall], concurrency: Int,
                        onComplete: (Int, Result<HTTPResponse, AWSError>) -> Void) throws {
        var attempts = [Int](repeating: 0, count: calls.count)
        var ready = Array(calls.indices.reversed())  // popLast takes the first call first
        var delayed: [(at: Date, index: Int)] = []

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
            return .request(signers[call.service]!.sign(call.request), tag: index)
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
            if retryable && attempt < retryPolicy.maxAttempts {
                counters.record(retry: true)
                delayed.append((Date(timeIntervalSinceNow: retryPolicy.delay(beforeRetry: attempt)), index))
            } else {
                onComplete(index, .failure(failure))
            }
        })
    }
}
