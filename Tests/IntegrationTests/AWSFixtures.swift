import AWSClient
import ClickstreamCore
import ClickstreamExport
import ClickstreamJobs
import ClickstreamPipeline
import ClickstreamRuns
import ClickstreamSamples
import ClickstreamTestSupport
import Foundation
import SourceKinesis
import SourceLocal
import SourceS3
import XCTest

/// Points this process's AWS settings at the shared moto_server (Replay resolves them from the environment).
func useMoto() -> MotoServer {
    let moto = MotoServer.shared
    for (k, v) in moto.environment { setenv(k, v, 1) }
    return moto
}

func motoTransport(endpoint: String? = nil, retry: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: 0.01, maxDelay: 0.05)) throws -> AWSTransport {
    var env = useMoto().environment
    if let endpoint { env["AWS_ENDPOINT_URL"] = endpoint }
    return try AWSTransport(config: try AWSConfig.resolve(environment: env), retryPolicy: retry)
}

func uniqueName(_ base: String) -> String { "\(base)-\(UInt32.random(in: 0...UInt32.max))" }

/// Runs a replay whose sources are built by `make` (to inspect them afterwards or use a custom transport).
@discardableResult
func replay(_ sources: [String], from: Int64, to: Int64, db: String, rebuild: Bool = false,
            make: @escaping (SourceURL, ReplayOptions) throws -> any IngestSource) throws -> ReplaySummary {
    let options = ReplayOptions(sources: try sources.map(SourceURL.init(parsing:)), window: from..<to, rebuild: rebuild,
                                databasePath: db, workers: 2)
    let r = Replay(options: options, log: Log(json: false, showProgress: false))
    r.makeSource = make
    return try r.run()
}

/// The whole `quarantine` table as (source, location, reason), sorted.
func quarantineRows(_ db: String) throws -> [[String]] {
    try rows(db, "SELECT source, location, reason FROM quarantine ORDER BY source, location").map { row in
        row.map { v -> String in if case .text(let s) = v { return s } else { return "\(v)" } }
    }
}

/// A fault-injecting HTTP proxy in front of moto: `fault` may answer a request itself (nth: 1-based count of
/// requests so far with the same X-Amz-Target or method+path kind); otherwise the request is forwarded verbatim.
final class FaultProxy: @unchecked Sendable {
    let server: StubHTTPServer
    var endpoint: String { server.endpoint }

    init(upstream: String, fault: @escaping @Sendable (StubHTTPServer.Request, Int) -> StubHTTPServer.Response?) throws {
        let counts = Counts()
        server = try StubHTTPServer { request in
            let kind = request.headers["x-amz-target"] ?? (request.method + (request.target.contains("?") ? " list" : " object"))
            if let r = fault(request, counts.bump(kind)) { return r }
            return FaultProxy.forward(request, upstream: upstream)
        }
    }

    final class Counts: @unchecked Sendable {
        private let lock = NSLock()
        private var n: [String: Int] = [:]
        func bump(_ k: String) -> Int { lock.lock(); defer { lock.unlock() }; n[k, default: 0] += 1; return n[k]! }
    }

    static func forward(_ request: StubHTTPServer.Request, upstream: String) -> StubHTTPServer.Response {
        var fd: Int32 = -1
        // Plain HTTP/1.1 over a socket: moto answers `Connection: close`.
        let port = Int(upstream.split(separator: ":").last!)!
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard ok == 0 else { close(fd); return .init(status: 502) }
        defer { close(fd) }
        var head = "\(request.method) \(request.target) HTTP/1.1\r\n"
        for (k, v) in request.headers where k != "connection" && k != "content-length" { head += "\(k): \(v)\r\n" }
        head += "connection: close\r\ncontent-length: \(request.body.count)\r\n\r\n"
        let out = Array(head.utf8) + request.body
        var sent = 0
        while sent < out.count {
            let n = out[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return .init(status: 502) }
            sent += n
        }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n <= 0 { break }
            data += chunk[0..<n]
        }
        guard let split = (0..<max(0, data.count - 3)).first(where: { data[$0] == 13 && data[$0 + 1] == 10 && data[$0 + 2] == 13 && data[$0 + 3] == 10 }) else {
            return .init(status: 502)
        }
        let lines = String(decoding: data[0..<split], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 502
        var headers: [(String, String)] = []
        var chunked = false
        for line in lines.dropFirst() {
            guard let c = line.firstIndex(of: ":") else { continue }
            let k = String(line[..<c]), v = line[line.index(after: c)...].trimmingCharacters(in: .whitespaces)
            if k.lowercased() == "transfer-encoding" { chunked = v.lowercased().contains("chunked"); continue }
            if k.lowercased() == "connection" || k.lowercased() == "content-length" { continue }
            headers.append((k, v))
        }
        var body = Array(data[(split + 4)...])
        if chunked {
            var out: [UInt8] = []
            var i = 0
            while let e = (i..<max(i, body.count - 1)).first(where: { body[$0] == 13 && body[$0 + 1] == 10 }) {
                let size = Int(String(decoding: body[i..<e], as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
                if size == 0 { break }
                out += body[(e + 2)..<(e + 2 + size)]
                i = e + 2 + size + 2
            }
            body = out
        }
        return .init(status: status, headers: headers, body: body)
    }
}
