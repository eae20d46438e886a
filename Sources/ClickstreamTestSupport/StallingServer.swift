import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP server whose answer to every request is a 200 with a `Content-Length` of `bodySize`, sent as
/// `chunk` bytes every `interval` seconds; after `stallAfter` bytes (when set) it sends nothing more and holds the
/// socket open until stopped: a slow link and a stalled socket, for the idle/low-speed timeout.
public final class StallingServer: Sendable {
    public let port: Int
    public var endpoint: String { "http://127.0.0.1:\(port)" }
    private let listener: Int32

    public init(bodySize: Int, chunk: Int, interval: TimeInterval, stallAfter: Int? = nil) throws {
        let (fd, port) = try LoopbackPort.listener(backlog: 16)
        self.port = port
        listener = fd
        Thread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { if errno == EINTR { continue }; return }
                Thread { Self.serve(client, bodySize: bodySize, chunk: chunk, interval: interval, stallAfter: stallAfter) }.start()
            }
        }.start()
    }

    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private static func serve(_ fd: Int32, bodySize: Int, chunk: Int, interval: TimeInterval, stallAfter: Int?) {
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        var head: [UInt8] = []
        while !String(decoding: head, as: UTF8.self).contains("\r\n\r\n") {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { return }
            head += buffer[0..<n]
        }
        func send(_ bytes: [UInt8]) -> Bool {
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if n <= 0 { return false }
                sent += n
            }
            return true
        }
        guard send(Array("HTTP/1.1 200 OK\r\nContent-Length: \(bodySize)\r\nETag: \"stall\"\r\nConnection: close\r\n\r\n".utf8)) else { return }
        var sent = 0
        while sent < bodySize {
            if let stallAfter, sent >= stallAfter {
                // Hold the socket until the client gives up (read returns 0) or the test ends.
                _ = read(fd, &buffer, buffer.count)
                return
            }
            let n = min(chunk, bodySize - sent)
            guard send([UInt8](repeating: UInt8(ascii: "x"), count: n)) else { return }
            sent += n
            Thread.sleep(forTimeInterval: interval)
        }
    }
}
