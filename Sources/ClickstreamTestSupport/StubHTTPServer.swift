import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 for tests: a thread per connection, keep-alive, `Content-Length` bodies.
/// `handler` runs on connection threads and may be called concurrently.
public final class StubHTTPServer: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var target: String
        /// Lowercased names.
        public var headers: [String: String]
        public var body: [UInt8]
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]

        public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
            self.status = status
            self.headers = headers
            self.body = body
        }
    }

    public let port: Int
    public var endpoint: String { "http://127.0.0.1:\(port)" }
    private let listener: Int32
    private let handler: @Sendable (Request) -> Response
    private let counts = Mutex((requests: 0, connections: 0))

    /// Requests answered so far.
    public var requestCount: Int { counts.withLock { $0.requests } }
    /// Connections accepted so far (shows whether clients reuse connections).
    public var connectionCount: Int { counts.withLock { $0.connections } }

    public init(handler: @escaping @Sendable (Request) -> Response) throws {
        self.handler = handler
        let (fd, port) = try LoopbackPort.listener(backlog: 128)
        self.port = port
        listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops accepting; open connections finish on their own.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            counts.withLock { $0.connections += 1 }
            var one: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            Thread { [self] in serve(client) }.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            // Read the head.
            var headEnd: Int? = nil
            while headEnd == nil {
                if let r = Self.find(buffer, [13, 10, 13, 10]) { headEnd = r; break }
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[0..<n])
            }
            let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
            buffer.removeFirst(headEnd! + 4)
            var lines = head.components(separatedBy: "\r\n")
            let requestLine = lines.removeFirst().split(separator: " ")
            guard requestLine.count >= 2 else { return }
            var headers: [String: String] = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            while buffer.count < length {
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[0..<n])
            }
            let body = Array(buffer[0..<length])
            buffer.removeFirst(length)
            let request = Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
            let response = handler(request)
            counts.withLock { $0.requests += 1 }
            var out = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
            var close = headers["connection"]?.lowercased() == "close"
            for (name, value) in response.headers {
                if name.lowercased() == "content-length" { continue }
                if name.lowercased() == "connection", value.lowercased() == "close" { close = true }
                out += "\(name): \(value)\r\n"
            }
            out += "Content-Length: \(response.body.count)\r\n\r\n"
            var bytes = Array(out.utf8)
            if request.method != "HEAD" { bytes += response.body }
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if n <= 0 { return }
                sent += n
            }
            if close { return }
        }
    }

    private static func find(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}
