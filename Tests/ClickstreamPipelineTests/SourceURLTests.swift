import ClickstreamPipeline
import XCTest

final class SourceURLTests: XCTestCase {
    func testFileURLsAreDecodedOnce() throws {
        XCTAssertEqual(try SourceURL(parsing: "file:///data/archive"), .local(path: "/data/archive"))
        XCTAssertEqual(try SourceURL(parsing: "file://localhost/data/archive"), .local(path: "/data/archive"))
        XCTAssertEqual(try SourceURL(parsing: "file:///data/with%20space"), .local(path: "/data/with space"))
        XCTAssertEqual(try SourceURL(parsing: "./archive"), .local(path: "./archive"))
        XCTAssertThrowsError(try SourceURL(parsing: "file://host/data")) { error in
            XCTAssertEqual("\(error)", "source file://host/data: only local files are supported (file:///absolute/path)")
        }
        XCTAssertThrowsError(try SourceURL(parsing: "file:data")) { error in
            XCTAssertEqual("\(error)", "source file:data: expected file:///absolute/path")
        }
    }

    func testS3AndKinesis() throws {
        XCTAssertEqual(try SourceURL(parsing: "s3://bucket/events/2025"), .s3(bucket: "bucket", prefix: "events/2025"))
        for bad in ["s3://localhost:20199#/x", "s3://user@evil.example/x", "s3://b?x=1", "s3://a b/x"] {
            XCTAssertThrowsError(try SourceURL(parsing: bad), bad) { error in
                let bucket = bad.dropFirst(5).prefix { $0 != "/" }
                XCTAssertEqual("\(error)", "source \(bad): \"\(bucket)\" is not an S3 bucket name (letters, digits, '.', '-' and '_' only)")
            }
        }
        XCTAssertEqual(try SourceURL(parsing: "kinesis://clicks/"), .kinesis(stream: "clicks"))
        XCTAssertEqual(try SourceURL(parsing: "kinesis://arn:aws:kinesis:eu-west-1:210987654321:stream/clicks"),
                       .kinesis(stream: "arn:aws:kinesis:eu-west-1:210987654321:stream/clicks"))
        for bad in ["kinesis://a/b", "kinesis://arn:aws:kinesis:eu-west-1:1:stream/", "kinesis://arn:aws:kinesis:eu-west-1:1:stream/a/b"] {
            XCTAssertThrowsError(try SourceURL(parsing: bad)) { error in
                XCTAssertEqual("\(error)", "source \(bad): a Kinesis URL is kinesis://stream-name or kinesis://arn:aws:kinesis:REGION:ACCOUNT:stream/NAME")
            }
        }
        XCTAssertThrowsError(try SourceURL(parsing: "ftp://x")) { error in
            XCTAssertEqual("\(error)", "source ftp://x: unknown scheme; use a path, file://, s3:// or kinesis://")
        }
    }
}
