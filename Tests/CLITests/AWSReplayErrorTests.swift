import ClickstreamTestSupport
import Foundation
import XCTest

/// The built `clickstream` binary against bad AWS settings: exit 2 for configuration, 1 for a failing source,
/// with one line naming the source.
final class AWSReplayErrorTests: XCTestCase {
    var binary: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/clickstream").path
    }

    func run(_ arguments: [String], environment: [String: String]) throws -> (Int32, String) {
        let dir = try TemporaryDirectory()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments + ["--db", dir.url("x.sqlite")]
        p.environment = environment.merging(["PATH": "/usr/bin:/bin", "HOME": dir.path]) { a, _ in a }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    let window = ["--from", "2025-07-03T00:00:00Z", "--to", "2025-07-03T01:00:00Z"]

    func testMissingCredentialsIsAConfigurationError() throws {
        let (code, err) = try run(["replay", "s3://bucket/prefix"] + window, environment: [
            "AWS_REGION": "us-east-1", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/c", "AWS_CONFIG_FILE": "/nonexistent/f",
            "AWS_EC2_METADATA_DISABLED": "true",
        ])
        XCTAssertEqual(code, 2)
        XCTAssertTrue(err.contains("source s3://bucket/prefix: No AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), err)
    }

    func testMissingRegionIsAConfigurationError() throws {
        let (code, err) = try run(["replay", "kinesis://clicks"] + window, environment: [
            "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/c", "AWS_CONFIG_FILE": "/nonexistent/f",
            "AWS_EC2_METADATA_DISABLED": "true",
        ])
        XCTAssertEqual(code, 2)
        XCTAssertTrue(err.contains("source kinesis://clicks: No AWS region configured"), err)
    }

    func testMissingBucketAndWrongEndpointFailTheSource() throws {
        var env = MotoServer.shared.environment
        var (code, err) = try run(["replay", "s3://no-such-bucket-cli/x"] + window, environment: env)
        XCTAssertEqual(code, 1)
        XCTAssertTrue(err.contains("source s3://no-such-bucket-cli/x: s3 ListObjectsV2 on bucket no-such-bucket-cli prefix x/ failed after 1 attempt: HTTP 404 NoSuchBucket"), err)

        env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:\(LoopbackPort.free())"
        (code, err) = try run(["replay", "kinesis://clicks"] + window, environment: env)
        XCTAssertEqual(code, 1)
        XCTAssertTrue(err.contains("source kinesis://clicks: kinesis ListShards on stream clicks failed after 8 attempts"), err)
        XCTAssertEqual(err.split(separator: "\n").count, 1, err)
    }
}
