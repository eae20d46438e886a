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
    /// Shared by every call on this transport (see `RetryQuota`).
    public let retryQuota: RetryQuota
    public let http: HTTPClient
    private let signers: [AWSService: SigV4Signer]
    /// Seconds to add to the local clock when signing (server time minus local time, learnt from a skew error).
    private let clockOffset = Mutex<TimeInterval>(0)
    /// Buckets learnt to live outside `config.region` (from S3's wrong-region answers), by bucket name.
    private let bucketRegions = Mutex<[String: String]>([:])

    public init(config: AWSConfig, retryPolicy: RetryPolicy = RetryPolicy(),
                httpConfiguration: HTTPClient.Configuration = HTTPClient.Configuration(),
                counters: AWSCounters = AWSCounters(), retryQuota: RetryQuota = RetryQuota()) throws {
        self.config = config
        self.retryPolicy = retryPolicy
        self.counters = counters
        self.retryQuota = retryQuota
        http = try HTTPClient(configuration: httpConfiguration)
        var signers: [AWSService: SigV4Signer] = [:]
        for service in AWSService.allCases {
            signers[service] = SigV4Signer(region: config.region, service: service.rawValue)
        }
        self.signers = signers
    }

    /// The region S3 said `bucket` lives in, when it is not `config.region`.
    public func knownRegion(ofBucket bucket: String) -> String? { bucketRegions.withLock { $0[bucket] } }

    /// The bucket an S3 request addresses: the label before `.s3.` in a virtual-hosted URL, else the first path
    /// segment (path-style).
    static func bucket(of request: HTTPRequest) -> String? {
        let parts = request.urlParts
        if let range = parts.authority.range(of: ".s3.") ?? parts.authority.range(of: ".s3-fips.") {
            return String(parts.authority[..<range.lowerBound])
        }
        let segment = parts.path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true).first
        return segment.map(String.init)
    }

    /// `request` pointed at `region`: the public endpoint's `s3.REGION.` host label replaced (a custom endpoint is
    /// kept as it is, as botocore does, and only the signature changes).
    func readdressed(_ request: HTTPRequest, to region: String) -> HTTPRequest {
        var request = request
        guard !config.hasCustomEndpoint(.s3) else { return request }
        // Public endpoints, every variant (`s3.`, `s3-fips.`, `s3.dualstack.`): the region is one host label.
        let parts = request.urlParts
        let host = parts.authority.replacingOccurrences(of: ".\(config.region).", with: ".\(region).")
        request.url = request.url.replacingOccurrences(of: "//" + parts.authority, with: "//" + host)
        return request
    }

    /// The signing clock's correction in seconds (0 until a skew error taught otherwise).
    public var clockCorrection: TimeInterval { clockOffset.withLock { $0 } }

    /// `<Region>` in an S3 error body (AuthorizationHeaderMalformed carries it there).
    static func xmlRegion(_ body: [UInt8]) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        guard let open = text.range(of: "<Region>"), let close = text.range(of: "</Region>", range: open.upperBound..<text.endIndex) else { return nil }
        let region = String(text[open.upperBound..<close.lowerBound])
        return region.isEmpty ? nil : region
    }

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
    /// `stopWhen` is asked before each new request: once it says yes, nothing more is sent (the calls in flight
    /// finish), so a caller that has already failed does not keep a broken endpoint busy with the rest.
    public func execute(_ calls: [AWSCall], concurrency: Int, stopWhen: () -> Bool = { false },
                        onComplete: (Int, Result<HTTPResponse, AWSError>) -> Void) throws {
        var attempts = [Int](repeating: 0, count: calls.count)
        var spent = [Int](repeating: 0, count: calls.count)
        var ready = Array(calls.indices.reversed())  // popLast takes the first call first
        var delayed: [(at: Date, index: Int)] = []
        var refreshedFor = Set<Int>()
        var skewRetriedFor = Set<Int>()
        // Fetched before the batch so that a provider that cannot deliver fails the call with its own message.
        var credentials: AWSCredentials? = calls.contains(where: \.signed) ? try config.credentials.current() : nil

        try http.drive(concurrency: concurrency, next: {
            // A client that is stopping does not wait out backoffs: the calls fail at once (not retryable).
            if http.isAborted, !delayed.isEmpty {
                ready.insert(contentsOf: delayed.map(\.index), at: 0)
                delayed.removeAll()
            }
            if ready.isEmpty, !delayed.isEmpty {
                let now = Date()
                delayed.sort { $0.at < $1.at }
                while let first = delayed.first, first.at <= now {
                    ready.insert(first.index, at: 0)
                    delayed.removeFirst()
                }
                if ready.isEmpty { return .wait(delayed[0].at.timeIntervalSince(now)) }
            }
            if stopWhen() { return .exhausted }
            guard let index = ready.popLast() else { return .exhausted }
            attempts[index] += 1
            counters.record(attempt: true)
            let call = calls[index]
            guard call.signed else { return .request(call.request, tag: index) }
            // A refresh that fails keeps the last good credentials; AWS's answer will say if they no longer work.
            if let fresh = try? config.credentials.current() { credentials = fresh }
            let date = Date().addingTimeInterval(clockOffset.withLock { $0 })
            if call.service == .s3, let bucket = Self.bucket(of: call.request), let region = knownRegion(ofBucket: bucket) {
                let signer = SigV4Signer(region: region, service: "s3")
                return .request(signer.sign(readdressed(call.request, to: region), credentials: credentials!, date: date), tag: index)
            }
            return .request(signers[call.service]!.sign(call.request, credentials: credentials!, date: date), tag: index)
        }, onComplete: { index, result in
            let call = calls[index]
            let attempt = attempts[index]
            let failure: AWSError
            let retryable: Bool
            var cost = RetryQuota.retryCost
            switch result {
            case let .success(response) where (200..<300).contains(response.status):
                retryQuota.succeeded(spent: spent[index])
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
                // S3's wrong-region answers name the bucket's region: learn it, re-sign for it, retry at once.
                if call.service == .s3, [301, 307, 400].contains(response.status),
                   code == "PermanentRedirect" || code == "AuthorizationHeaderMalformed" || code == "TemporaryRedirect" || response.status == 301,
                   let region = response.header("x-amz-bucket-region") ?? Self.xmlRegion(response.body),
                   let bucket = Self.bucket(of: call.request), knownRegion(ofBucket: bucket) != region, region != config.region {
                    bucketRegions.withLock { $0[bucket] = region }
                    counters.record(retry: true)
                    ready.append(index)
                    return
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
                if error.kind == .timeout || error.kind == .connectionLost { cost = RetryQuota.timeoutCost }
                failure = AWSError(service: call.service, operation: call.operation, resource: call.resource,
                                   httpStatus: nil, code: nil, message: error.description, attempts: attempt)
            }
            if retryable && attempt < retryPolicy.maxAttempts + (refreshedFor.contains(index) ? 1 : 0) + (skewRetriedFor.contains(index) ? 1 : 0),
               retryQuota.acquire(cost) {
                spent[index] += cost
                counters.record(retry: true)
                delayed.append((Date(timeIntervalSinceNow: retryPolicy.delay(beforeRetry: attempt)), index))
            } else {
                onComplete(index, .failure(failure))
            }
        })
    }
}
