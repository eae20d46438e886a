import CurlHTTP
@testable import AWSClient
import ClickstreamTestSupport
import Foundation
import XCTest

final class HTTPClientTests: XCTestCase {
    static let gzipBytes: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xAB, 0x56, 0x2A, 0x4E, 0x2D,
                                     0x2E, 0xCE, 0xCC, 0xCF, 0x8B, 0xCF, 0x4C, 0x51, 0xB2, 0x52, 0x2A, 0x36, 0x54, 0xAA, 0xE5,
                                     0x02, 0x00, 0x8E, 0x6D, 0x58, 0x7B, 0x14, 0x00, 0x00, 0x00]

    func makeServer() throws -> StubHTTPServer {
        try StubHTTPServer { request in
            switch request.target {
            case "/gzip":
                return .init(status: 200, headers: [("Content-Encoding", "gzip"), ("ETag", "\"abc\""), ("X-Multi", "a"), ("X-Multi", "b")],
                             body: HTTPClientTests.gzipBytes)
            case "/echo":
                let summary = "\(request.method) ct=\(request.headers["content-type"] ?? "-") expect=\(request.headers["expect"] ?? "-") "
                    + "ae=\(request.headers["accept-encoding"] ?? "-") body=\(String(decoding: request.body, as: UTF8.self))"
                return .init(status: 201, body: Array(summary.utf8))
            default:
                if request.target.hasPrefix("/slow") { usleep(20_000) }
                return .init(status: 200, body: Array(request.target.utf8))
            }
        }
    }

    func testRawGzipBodyAndLowercasedHeaders() throws {
        let server = try makeServer()
        defer { server.stop() }
        let client = try HTTPClient()
        let response = try client.send(HTTPRequest(url: "\(server.endpoint)/gzip")).get()
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body, Self.gzipBytes)
        XCTAssertEqual(response.header("Content-Encoding"), "gzip")
        XCTAssertEqual(response.headers["etag"], "\"abc\"")
        XCTAssertEqual(response.headers["x-multi"], "a, b")
    }

    func testMethodsBodiesAndNoCurlDefaults() throws {
        let server = try makeServer()
        defer { server.stop() }
        let client = try HTTPClient()
        let big = String(repeating: "x", count: 200_000)
        let requests = [
            HTTPRequest(method: "POST", url: "\(server.endpoint)/echo", headers: [HTTPHeader("Content-Type", "application/x-amz-json-1.1")], body: Array("{}".utf8)),
            HTTPRequest(method: "PUT", url: "\(server.endpoint)/echo", body: Array("put".utf8)),
            HTTPRequest(method: "PUT", url: "\(server.endpoint)/echo"),
            HTTPRequest(method: "GET", url: "\(server.endpoint)/echo"),
            HTTPRequest(method: "DELETE", url: "\(server.endpoint)/echo"),
        ]
        let bodies = try client.perform(requests, concurrency: 3).map { String(decoding: try $0.get().body, as: UTF8.self) }
        XCTAssertEqual(bodies, [
            "POST ct=application/x-amz-json-1.1 expect=- ae=- body={}",
            "PUT ct=- expect=- ae=- body=put",
            "PUT ct=- expect=- ae=- body=",
            "GET ct=- expect=- ae=- body=",
            "DELETE ct=- expect=- ae=- body=",
        ])
        let large = try client.send(HTTPRequest(method: "POST", url: "\(server.endpoint)/echo", body: Array(big.utf8))).get()
        XCTAssertEqual(large.status, 201)
        XCTAssertEqual(large.body.count, "POST ct=- expect=- ae=- body=".utf8.count + 200_000)
    }

    func testManyInFlightResultsInOrderAndConnectionsReused() throws {
        let server = try makeServer()
        defer { server.stop() }
        let client = try HTTPClient()
        let requests = (0..<200).map { HTTPRequest(url: "\(server.endpoint)/slow/\($0)") }
        var completionOrder: [Int] = []
        var maxSeen = 0
        let start = Date()
        try client.perform(requests, concurrency: 16) { index, result in
            completionOrder.append(index)
            maxSeen = max(maxSeen, index)
            XCTAssertEqual(try? result.get().body, Array("/slow/\(index)".utf8))
        }
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(completionOrder.sorted(), Array(0..<200))
        // 200 requests of 20 ms each, 16 at a time: about 0.25 s; serial would be 4 s.
        XCTAssertLessThan(elapsed, 2.0)
        XCTAssertLessThanOrEqual(server.connectionCount, 16)
        let second = try client.perform(requests.prefix(32).map { $0 }, concurrency: 16)
        XCTAssertEqual(second.count, 32)
        XCTAssertLessThanOrEqual(server.connectionCount, 16, "second batch reuses the cached connections")
    }

    func testConnectionRefusedNamesURL() throws {
        let port = LoopbackPort.free()
        let client = try HTTPClient(configuration: .init(connectTimeout: 2, timeout: 5))
        let result = try client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/x"))
        guard case let .failure(error) = result else { return XCTFail("expected failure") }
        XCTAssertEqual(error.kind, .connect)
        XCTAssertTrue(error.isRetryable)
        XCTAssertTrue(error.description.hasPrefix("could not connect to http://127.0.0.1:\(port)/x: "), error.description)
    }

    func testTimeout() throws {
        let server = try StubHTTPServer { _ in usleep(1_500_000); return .init(status: 200) }
        defer { server.stop() }
        let client = try HTTPClient(configuration: .init(connectTimeout: 1, timeout: 0.3))
        guard case let .failure(error) = try client.send(HTTPRequest(url: "\(server.endpoint)/")) else { return XCTFail() }
        XCTAssertEqual(error.kind, .timeout)
    }

    /// Throughput ceiling of the client against a trivial local server (moto is far slower than us).
    func testThroughputAgainstLocalServer() throws {
        let server = try makeServer()
        defer { server.stop() }
        let client = try HTTPClient()
        let requests = (0..<3000).map { HTTPRequest(url: "\(server.endpoint)/r/\($0)") }
        let start = Date()
        let results = try client.perform(requests, concurrency: 32)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(results.filter { (try? $0.get().status) == 200 }.count, 3000)
        print("HTTPClient: 3000 GETs, concurrency 32, \(server.connectionCount) connections: \(Int(3000 / elapsed)) requests/s")
    }
}

/// The idle/low-speed timeout: a stalled socket fails fast and is retryable, a slow but moving transfer completes
/// however long it takes.
final class HTTPClientStallTests: XCTestCase {
    func testAStalledBodyTimesOutAndASlowOneCompletes() throws {
        let stalled = try StallingServer(bodySize: 100_000, chunk: 1000, interval: 0, stallAfter: 5000)
        defer { stalled.stop() }
        let client = try HTTPClient(configuration: .init(connectTimeout: 2, lowSpeedTime: 1, lowSpeedLimit: 100))
        let started = Date()
        let result = try client.send(HTTPRequest(url: stalled.endpoint + "/big"))
        let elapsed = Date().timeIntervalSince(started)
        guard case let .failure(error) = result else { return XCTFail("a stalled body succeeded") }
        XCTAssertEqual(error.kind, .timeout, "\(error)")
        XCTAssertTrue(error.isRetryable)
        // libcurl averages the speed over its last few seconds, so the initial burst delays the verdict a little.
        XCTAssertLessThan(elapsed, 10)

        // 40 chunks of 500 bytes every 0.1 s: 4 s in all, longer than any idle window, but never idle.
        let slow = try StallingServer(bodySize: 20_000, chunk: 500, interval: 0.1)
        defer { slow.stop() }
        let response = try client.send(HTTPRequest(url: slow.endpoint + "/slow")).get()
        XCTAssertEqual(response.body.count, 20_000)
    }
}
