import CurlHTTP
@testable import AWSClient
import ClickstreamTestSupport
import Foundation
import XCTest

final class S3ClientTests: XCTestCase {
    func makeClient() throws -> S3Client {
        let config = try AWSConfig.resolve(environment: MotoServer.shared.environment)
        return S3Client(transport: try AWSTransport(config: config, retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: 0.001, maxDelay: 0.01)))
    }

    func testAddressing() throws {
        let custom = S3Client(transport: try AWSTransport(config: AWSConfig(
            credentials: AWSCredentials(accessKeyId: "a", secretAccessKey: "b"), region: "eu-west-1",
            customEndpoints: [.s3: "http://127.0.0.1:4566/"])))
        XCTAssertEqual(custom.url(bucket: "b", key: "year=2025/a b+é.json"), "http://127.0.0.1:4566/b/year%3D2025/a%20b%2B%C3%A9.json")
        let aws = S3Client(transport: try AWSTransport(config: AWSConfig(
            credentials: AWSCredentials(accessKeyId: "a", secretAccessKey: "b"), region: "eu-west-1")))
        XCTAssertEqual(aws.url(bucket: "clicks", key: "k/v.json"), "https://clicks.s3.eu-west-1.amazonaws.com/k/v.json")
        XCTAssertEqual(aws.url(bucket: "my.dotted", key: "k"), "https://s3.eu-west-1.amazonaws.com/my.dotted/k")
    }

    func testPutListPaginateAndGet() throws {
        let s3 = try makeClient()
        let bucket = "s3test-\(UInt32.random(in: 0...UInt32.max))"
        try s3.createBucket(bucket)
        let keys = [
            "year=2025/month=7/day=3/hour=5/a b.json",
            "year=2025/month=7/day=3/hour=5/café 日本.json",
            "year=2025/month=7/day=3/hour=5/plus+sign.json",
            "year=2025/month=7/day=3/hour=6/x&y<z>.json",
            "year=2025/month=7/day=4/hour=0/z.json",
            "other/ignored.json",
        ]
        for key in keys { try s3.putObject(bucket: bucket, key: key, body: Array("{\"k\":\"\(key)\"}".utf8), contentType: "application/json") }

        var pages: [[String]] = []
        var token: String? = nil
        repeat {
            let page = try s3.listObjectsV2(bucket: bucket, prefix: "year=2025/month=7/", continuationToken: token, maxKeys: 2)
            pages.append(page.objects.map(\.key))
            token = page.nextContinuationToken
            XCTAssertEqual(page.isTruncated, token != nil)
        } while token != nil
        XCTAssertEqual(pages, [
            ["year=2025/month=7/day=3/hour=5/a b.json", "year=2025/month=7/day=3/hour=5/café 日本.json"],
            ["year=2025/month=7/day=3/hour=5/plus+sign.json", "year=2025/month=7/day=3/hour=6/x&y<z>.json"],
            ["year=2025/month=7/day=4/hour=0/z.json"],
        ])
        let afterList = try s3.listAllObjects(bucket: bucket, prefix: "year=2025/", startAfter: "year=2025/month=7/day=3/hour=5/plus+sign.json", pageSize: 2)
        XCTAssertEqual(afterList.map(\.key), ["year=2025/month=7/day=3/hour=6/x&y<z>.json", "year=2025/month=7/day=4/hour=0/z.json"])
        XCTAssertEqual(afterList[1].size, Int64("{\"k\":\"year=2025/month=7/day=4/hour=0/z.json\"}".utf8.count))
        XCTAssertEqual(afterList[1].etag, "\"" + md5Hex("{\"k\":\"year=2025/month=7/day=4/hour=0/z.json\"}") + "\"")

        let delimited = try s3.listObjectsV2(bucket: bucket, prefix: "year=2025/month=7/", delimiter: "/")
        XCTAssertEqual(delimited.commonPrefixes, ["year=2025/month=7/day=3/", "year=2025/month=7/day=4/"])

        var fetched: [String: String] = [:]
        try s3.getObjects(keys.map { (bucket, $0) }, concurrency: 4) { index, result in
            fetched[keys[index]] = (try? result.get()).map { String(decoding: $0.body, as: UTF8.self) }
        }
        XCTAssertEqual(fetched, Dictionary(uniqueKeysWithValues: keys.map { ($0, "{\"k\":\"\($0)\"}") }))
    }

    func testGzipObjectComesBackAsStored() throws {
        let s3 = try makeClient()
        let bucket = "s3gzip-\(UInt32.random(in: 0...UInt32.max))"
        try s3.createBucket(bucket)
        let gzip = HTTPClientTests.gzipBytes
        let etag = try s3.putObject(bucket: bucket, key: "events.json.gz", body: gzip, contentType: "application/json", contentEncoding: "gzip")
        let object = try s3.getObject(bucket: bucket, key: "events.json.gz")
        XCTAssertEqual(object.body, gzip)
        XCTAssertEqual(object.etag, etag)
        XCTAssertEqual(object.etag, "\"" + md5Hex(gzip) + "\"")
        XCTAssertEqual(object.contentEncoding, "gzip")
    }

    func testMissingKeyError() throws {
        let s3 = try makeClient()
        let bucket = "s3missing-\(UInt32.random(in: 0...UInt32.max))"
        try s3.createBucket(bucket)
        XCTAssertThrowsError(try s3.getObject(bucket: bucket, key: "no/such key")) { error in
            XCTAssertEqual("\(error)", "s3 GetObject on bucket \(bucket) key no/such key failed after 1 attempt: HTTP 404 NoSuchKey: The specified key does not exist.")
        }
    }

    /// S3 GET throughput against moto (moto is the bottleneck, see MOTO-NOTES).
    func testGetThroughputAgainstMoto() throws {
        let s3 = try makeClient()
        let bucket = "s3speed-\(UInt32.random(in: 0...UInt32.max))"
        try s3.createBucket(bucket)
        let keys = (0..<50).map { "k/\($0).json" }
        for key in keys { try s3.putObject(bucket: bucket, key: key, body: Array(repeating: 65, count: 1024)) }
        let refs = (0..<300).map { (bucket, keys[$0 % keys.count]) }
        let start = Date()
        var ok = 0
        try s3.getObjects(refs, concurrency: 8) { _, result in if case .success = result { ok += 1 } }
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(ok, 300)
        print("S3Client: 300 GETs against moto, concurrency 8: \(Int(300 / elapsed)) objects/s")
    }
}

func md5Hex(_ string: String) -> String { md5Hex(Array(string.utf8)) }

func md5Hex(_ bytes: [UInt8]) -> String {
    let file = NSTemporaryDirectory() + "md5-\(UUID().uuidString)"
    _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
    defer { try? FileManager.default.removeItem(atPath: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/md5sum")
    process.arguments = [file]
    let pipe = Pipe()
    process.standardOutput = pipe
    try! process.run()
    process.waitUntilExit()
    return String(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(32))
}

/// S3's wrong-region answers (301 PermanentRedirect with `x-amz-bucket-region`, 400 AuthorizationHeaderMalformed
/// with `<Region>`): the call is re-signed for the bucket's region and retried once, and later calls to that bucket
/// are signed for it from the start.
final class S3RedirectTests: XCTestCase {
    func testWrongRegionAnswersAreResignedForTheBucketsRegion() throws {
        let scopes = LockedList()
        let server = try StubHTTPServer { request in
            let auth = request.headers["authorization"] ?? ""
            let region = auth.split(separator: "/").dropFirst(2).first.map(String.init) ?? "?"
            _ = scopes.append(request.target + " " + region)
            let bucket = request.target.split(separator: "/").first.map(String.init) ?? ""
            let home = bucket == "eu-bucket" ? "eu-west-2" : "ap-southeast-1"
            if region == home { return .init(status: 200, headers: [("ETag", "\"e\"")], body: Array("from \(home)".utf8)) }
            if bucket == "eu-bucket" {
                return .init(status: 301, headers: [("x-amz-bucket-region", home)],
                             body: Array("<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message></Error>".utf8))
            }
            return .init(status: 400, body: Array("<Error><Code>AuthorizationHeaderMalformed</Code><Message>the region 'us-east-1' is wrong; expecting 'ap-southeast-1'</Message><Region>\(home)</Region></Error>".utf8))
        }
        defer { server.stop() }
        let config = AWSConfig(credentials: AWSCredentials(accessKeyId: "AKID", secretAccessKey: "s"), region: "us-east-1",
                               customEndpoints: [.s3: server.endpoint])
        let s3 = S3Client(transport: try AWSTransport(config: config, retryPolicy: RetryPolicy(maxAttempts: 1)))
        XCTAssertEqual(try s3.getObject(bucket: "eu-bucket", key: "a").body, Array("from eu-west-2".utf8))
        XCTAssertEqual(try s3.getObject(bucket: "eu-bucket", key: "b").body, Array("from eu-west-2".utf8))
        XCTAssertEqual(try s3.getObject(bucket: "ap-bucket", key: "c").body, Array("from ap-southeast-1".utf8))
        XCTAssertEqual(scopes.items, ["/eu-bucket/a us-east-1", "/eu-bucket/a eu-west-2", "/eu-bucket/b eu-west-2",
                                      "/ap-bucket/c us-east-1", "/ap-bucket/c ap-southeast-1"])
        XCTAssertEqual(s3.transport.knownRegion(ofBucket: "eu-bucket"), "eu-west-2")
        // On the public endpoint the host moves too.
        let aws = try AWSTransport(config: AWSConfig(credentials: AWSCredentials(accessKeyId: "a", secretAccessKey: "b"), region: "us-east-1"))
        XCTAssertEqual(aws.readdressed(HTTPRequest(url: "https://b.s3.us-east-1.amazonaws.com/k?x=1"), to: "eu-west-2").url,
                       "https://b.s3.eu-west-2.amazonaws.com/k?x=1")
        XCTAssertEqual(AWSTransport.bucket(of: HTTPRequest(url: "https://b.s3.us-east-1.amazonaws.com/k")), "b")
    }
}
