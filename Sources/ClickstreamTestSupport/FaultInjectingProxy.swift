import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// A loopback HTTP proxy in front of a real server (moto): every request goes to `decide`, which either lets it
/// through (and may rewrite the answer) or answers in the server's place — a throttle, a 500 — so tests see how
/// the client weathers faults the emulator never makes. Point the client at `endpoint` instead of the server's.
public final class FaultInjectingProxy: Sendable {
    public enum Decision: Sendable {
        case forward
        /// Forwarded, then the answer passes through the closure.
        case rewrite(@Sendable (StubHTTPServer.Response) -> StubHTTPServer.Response)
        case respond(StubHTTPServer.Response)
    }

    private let server: StubHTTPServer
    public var endpoint: String { server.endpoint }
    public var port: Int { server.port }

    /// `decide(request, n)`: `n` counts the requests of the same kind seen so far, 1-based (a kind is the
    /// `X-Amz-Target`, or for S3 the method and whether it lists or reads an object).
    public init(upstream: String, decide: @escaping @Sendable (StubHTTPServer.Request, Int) -> Decision) throws {
        let seen = Mutex([String: Int]())
        server = try StubHTTPServer { request in
            let kind = request.headers["x-amz-target"] ?? (request.method + (request.target.contains("?") ? " list" : " object"))
            let n = seen.withLock { counts in
                counts[kind, default: 0] += 1
                return counts[kind]!
            }
            switch decide(request, n) {
            case .forward: return Self.forward(request, to: upstream)
            case let .rewrite(change): return change(Self.forward(request, to: upstream))
            case let .respond(response): return response
            }
        }
    }

    /// `fault(request, n)` answers in the server's place when it returns a response; nil forwards the request.
    public convenience init(upstream: String, fault: @escaping @Sendable (StubHTTPServer.Request, Int) -> StubHTTPServer.Response?) throws {
        try self.init(upstream: upstream, decide: { request, n in fault(request, n).map(Decision.respond) ?? .forward })
    }

    public func stop() { server.stop() }

    /// A throttling answer in the AWS JSON protocol (`__type` and HTTP 400), as DynamoDB and Kinesis give it.
    public static func throttle(_ code: String = "ProvisionedThroughputExceededException") -> StubHTTPServer.Response {
        StubHTTPServer.Response(status: 400, headers: [("Content-Type", "application/x-amz-json-1.0")],
                                body: Array(#"{"__type":"com.amazonaws.dynamodb.v20120810#\#(code)","message":"injected"}"#.utf8))
    }

    static func forward(_ request: StubHTTPServer.Request, to upstream: String) -> StubHTTPServer.Response {
        var urlRequest = URLRequest(url: URL(string: upstream + request.target)!)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers where !["host", "content-length", "connection"].contains(name) {
            urlRequest.setValue(value, forHTTPHeaderField: name)
        }
        if !request.body.isEmpty { urlRequest.httpBody = Data(request.body) }
        let box = Mutex<StubHTTPServer.Response>(StubHTTPServer.Response(status: 502, body: Array("proxy: no answer".utf8)))
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: urlRequest) { data, response, _ in
            if let http = response as? HTTPURLResponse {
                let headers = http.allHeaderFields.compactMap { k, v -> (String, String)? in
                    guard let k = k as? String, let v = v as? String, k.lowercased() != "content-length",
                          k.lowercased() != "transfer-encoding", k.lowercased() != "content-encoding" else { return nil }
                    return (k, v)
                }
                box.withLock { $0 = StubHTTPServer.Response(status: http.statusCode, headers: headers, body: Array(data ?? Data())) }
            }
            done.signal()
        }.resume()
        done.wait()
        return box.withLock { $0 }
    }
}
