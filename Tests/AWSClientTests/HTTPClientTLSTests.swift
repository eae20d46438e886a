import CurlHTTP
@testable import AWSClient
import ClickstreamTestSupport
import Foundation
import XCTest

final class HTTPClientTLSTests: XCTestCase {
    /// A self-signed `openssl s_server` on 127.0.0.1: refused by default, accepted only with verifyTLS off.
    func testTLSVerificationIsOnByDefault() throws {
        let dir = NSTemporaryDirectory() + "tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let keygen = Process()
        keygen.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        keygen.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(dir)/key.pem", "-out", "\(dir)/cert.pem",
                            "-days", "1", "-subj", "/CN=127.0.0.1"]
        keygen.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try keygen.run()
        keygen.waitUntilExit()
        let port = LoopbackPort.free()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", "\(dir)/cert.pem", "-key", "\(dir)/key.pem", "-www", "-quiet"]
        server.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        server.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        let deadline = Date(timeIntervalSinceNow: 10)
        while !LoopbackPort.isAccepting(port) && Date() < deadline { usleep(20_000) }

        let strict = try HTTPClient(configuration: .init(connectTimeout: 2, timeout: 5))
        guard case let .failure(error) = try strict.send(HTTPRequest(url: "https://127.0.0.1:\(port)/")) else {
            return XCTFail("a self-signed certificate must be rejected")
        }
        XCTAssertEqual(error.kind, .tls, error.description)
        XCTAssertFalse(error.isRetryable)
        let lax = try HTTPClient(configuration: .init(connectTimeout: 2, timeout: 5, verifyTLS: false))
        let response = try lax.send(HTTPRequest(url: "https://127.0.0.1:\(port)/")).get()
        XCTAssertEqual(response.status, 200)
    }
}
