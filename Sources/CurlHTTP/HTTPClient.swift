import CCurl
import Foundation
import Synchronization

/// An HTTP/1.1 client over libcurl's multi interface: many transfers in flight on one thread, each response handled
/// as soon as it completes, connections (and DNS, TLS sessions) reused across requests and batches.
///
/// Guarantees: TLS peers are verified unless `Configuration.verifyTLS` is false; bodies are returned raw (no
/// `Accept-Encoding`, no decoding); response header names are lowercased.
///
/// Thread-safety: a client runs one batch at a time. Calls from several threads are serialised by an internal lock,
/// so for parallel batches use one client per thread. Callbacks run on the calling thread, inside the lock: they must
/// not call back into the same client. The libcurl handles (multi, share, idle easy handles) are reachable only
/// through that lock, which is what makes the client `Sendable`.
public final class HTTPClient: Sendable {
    public struct Configuration: Sendable {
        /// Seconds allowed to establish a connection.
        public var connectTimeout: Double
        /// Seconds allowed for a whole transfer; 0 for no limit (the default: a large object on a slow link must
        /// still download, and `lowSpeedTime` catches a stalled socket).
        public var timeout: Double
        /// A transfer slower than `lowSpeedLimit` bytes per second for this many seconds is aborted as a timeout
        /// (retryable); 0 turns the check off.
        public var lowSpeedTime: Double
        public var lowSpeedLimit: Int
        public var verifyTLS: Bool
        /// Upper bound on cached idle connections (0: libcurl's default).
        public var maxCachedConnections: Int

        public init(connectTimeout: Double = 10, timeout: Double = 0, lowSpeedTime: Double = 30, lowSpeedLimit: Int = 1,
                    verifyTLS: Bool = true, maxCachedConnections: Int = 64) {
            self.connectTimeout = connectTimeout
            self.timeout = timeout
            self.lowSpeedTime = lowSpeedTime
            self.lowSpeedLimit = lowSpeedLimit
            self.verifyTLS = verifyTLS
            self.maxCachedConnections = maxCachedConnections
        }
    }

    /// What `drive` should do when it has a free slot.
    public enum Next: Sendable {
        /// Start this request; `tag` comes back with its result.
        case request(HTTPRequest, tag: Int)
        /// Nothing to start before this many seconds (e.g. a retry backoff); ask again then or after a completion.
        case wait(TimeInterval)
        /// Nothing to start now. The drive ends when nothing is in flight; otherwise `next` is asked again after
        /// the next completion.
        case exhausted
    }

    public let configuration: Configuration

    /// The libcurl state one batch drives; used only inside `handles.withLock`.
    private struct Handles {
        let multi: CurlMulti
        let share: CurlShare
        /// Finished transfers kept for reuse (their easy handles keep connections warm).
        var idle: [HTTPTransfer] = []
    }

    private let handles: Mutex<Handles>
    /// Set once by `abort()`, never cleared: the client is shutting down.
    private let aborted = Atomic<Bool>(false)

    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    public init(configuration: Configuration = Configuration()) throws {
        let code = Self.globalInit
        guard code == CURLE_OK else { throw CurlError.easy("curl_global_init", code) }
        self.configuration = configuration
        let multi = try CurlMulti()
        if configuration.maxCachedConnections > 0 {
            try multi.set(CURLMOPT_MAXCONNECTS, configuration.maxCachedConnections)
        }
        handles = Mutex(Handles(multi: multi, share: try CurlShare()))
    }

    /// Ends every transfer in flight within ~0.1 s, and every later one at once, with a non-retryable error: a
    /// process that is stopping (SIGTERM) must not wait on a hung request. Safe from any thread.
    public func abort() { aborted.store(true, ordering: .releasing) }

    public var isAborted: Bool { aborted.load(ordering: .acquiring) }

    static func abortedError(_ url: String) -> HTTPTransportError {
        HTTPTransportError(kind: .other, curlCode: Int32(CURLE_ABORTED_BY_CALLBACK.rawValue), message: "aborted: the client is stopping", url: url)
    }

    /// Sends one request and waits for its response.
    public func send(_ request: HTTPRequest) throws -> Result<HTTPResponse, HTTPTransportError> {
        var result: Result<HTTPResponse, HTTPTransportError>!
        try perform([request], concurrency: 1) { _, r in result = r }
        return result
    }

    /// Sends `requests` with at most `concurrency` in flight; `onComplete(index, result)` runs as each finishes.
    public func perform(_ requests: [HTTPRequest], concurrency: Int,
                        onComplete: (Int, Result<HTTPResponse, HTTPTransportError>) -> Void) throws {
        var position = 0
        try drive(concurrency: concurrency, next: {
            guard position < requests.count else { return .exhausted }
            defer { position += 1 }
            return .request(requests[position], tag: position)
        }, onComplete: onComplete)
    }

    /// Sends `requests` with at most `concurrency` in flight and returns the results in request order.
    public func perform(_ requests: [HTTPRequest], concurrency: Int) throws -> [Result<HTTPResponse, HTTPTransportError>] {
        var results = [Result<HTTPResponse, HTTPTransportError>?](repeating: nil, count: requests.count)
        try perform(requests, concurrency: concurrency) { index, result in results[index] = result }
        return results.map { $0! }
    }

    /// The general loop: keeps up to `concurrency` transfers in flight, asking `next` whenever a slot is free and
    /// calling `onComplete(tag, result)` as each finishes. Throws only for libcurl setup failures.
    public func drive(concurrency: Int, next: () -> Next,
                      onComplete: (Int, Result<HTTPResponse, HTTPTransportError>) -> Void) throws {
        // The loop is written inside the lock's closure rather than in a method taking `handles` and the callbacks
        // together: only Sendable values (requests, tags, results) pass between the callbacks and the handles, which
        // is what lets the compiler see that no libcurl handle escapes the lock.
        try handles.withLock { handles in
            let multi = handles.multi
            let limit = max(1, concurrency)
            var inFlight: [UnsafeMutableRawPointer: HTTPTransfer] = [:]
            defer {
                for transfer in inFlight.values { multi.remove(transfer.easy) }
            }
            var exhausted = false
            var waitUntil: Date? = nil

            while true {
                if aborted.load(ordering: .acquiring) {
                    for transfer in inFlight.values {
                        multi.remove(transfer.easy)
                        transfer.headerList = nil
                        handles.idle.append(transfer)
                        onComplete(transfer.tag, .failure(Self.abortedError(transfer.url)))
                    }
                    inFlight.removeAll()
                    waitUntil = nil
                }
                while inFlight.count < limit && !exhausted {
                    if let until = waitUntil {
                        if until > Date() { break }
                        waitUntil = nil
                    }
                    switch next() {
                    case let .request(request, tag) where aborted.load(ordering: .acquiring):
                        onComplete(tag, .failure(Self.abortedError(request.url)))
                    case let .request(request, tag):
                        let transfer = try handles.idle.popLast() ?? HTTPTransfer(easy: CurlEasy())
                        do {
                            try transfer.prepare(request, tag: tag, configuration: configuration, share: handles.share)
                            try multi.add(transfer.easy)
                        } catch {
                            handles.idle.append(transfer)
                            throw error
                        }
                        inFlight[transfer.easy.handle] = transfer
                    case let .wait(seconds):
                        waitUntil = Date(timeIntervalSinceNow: max(0, seconds))
                    case .exhausted:
                        exhausted = true
                    }
                }
                if inFlight.isEmpty {
                    if exhausted { return }
                    if let until = waitUntil {
                        let delay = until.timeIntervalSinceNow
                        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
                    }
                    continue
                }
                _ = try multi.perform()
                var completed = false
                while let (handle, code) = multi.nextDone() {
                    guard let transfer = inFlight.removeValue(forKey: handle) else { continue }
                    multi.remove(transfer.easy)
                    let result = finish(transfer, code)
                    transfer.headerList = nil
                    handles.idle.append(transfer)
                    completed = true
                    onComplete(transfer.tag, result)
                }
                if completed {
                    exhausted = false
                } else {
                    var timeout = 100
                    if let until = waitUntil { timeout = max(0, min(timeout, Int(until.timeIntervalSinceNow * 1000) + 1)) }
                    try multi.poll(milliseconds: timeout)
                }
            }
        }
    }

    private func finish(_ transfer: HTTPTransfer, _ code: CURLcode) -> Result<HTTPResponse, HTTPTransportError> {
        guard code == CURLE_OK else {
            let detail = transfer.errorMessage
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            return .failure(HTTPTransportError(kind: Self.kind(of: code), curlCode: Int32(code.rawValue),
                                               message: message, url: transfer.url))
        }
        let body = transfer.body
        transfer.body = []
        return .success(HTTPResponse(status: transfer.status, headers: transfer.headers, body: body))
    }

    static func kind(of code: CURLcode) -> HTTPTransportError.Kind {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .connect
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return .tls
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .connectionLost
        default:
            return .other
        }
    }
}
