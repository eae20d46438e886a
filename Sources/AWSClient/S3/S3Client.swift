import CurlHTTP
/// Typed S3 calls over an `AWSTransport`.
///
/// Addressing: with a custom S3 endpoint, path-style (`ENDPOINT/bucket/key`); otherwise virtual-host style
/// (`https://bucket.s3.REGION.amazonaws.com/key`), except for bucket names containing `.`, which use path-style so the
/// TLS certificate still matches. Keys are percent-encoded once per segment, `/` kept.
public final class S3Client: Sendable {
    public let transport: AWSTransport

    public init(transport: AWSTransport) {
        self.transport = transport
    }

    /// The object URL (no query), as sent on the wire.
    public func url(bucket: String, key: String = "") -> String {
        let encodedKey = PercentEncoding.encode(key, keepSlash: true)
        let config = transport.config
        if config.hasCustomEndpoint(.s3) || bucket.contains(".") {
            return "\(config.endpoint(for: .s3))/\(bucket)/\(encodedKey)"
        }
        // Virtual-hosted style on the public endpoint of the region's partition (and FIPS / dual-stack variant).
        let endpoint = config.endpoint(for: .s3)
        return endpoint.replacingOccurrences(of: "https://", with: "https://\(bucket).") + "/\(encodedKey)"
    }

    /// One ListObjectsV2 page (at most `maxKeys`, S3's cap is 1000).
    public func listObjectsV2(bucket: String, prefix: String = "", continuationToken: String? = nil,
                              startAfter: String? = nil, delimiter: String? = nil, maxKeys: Int = 1000) throws -> S3ListPage {
        var query = ["list-type=2", "max-keys=\(maxKeys)"]
        if !prefix.isEmpty { query.append("prefix=\(PercentEncoding.encode(prefix))") }
        if let continuationToken { query.append("continuation-token=\(PercentEncoding.encode(continuationToken))") }
        if let startAfter { query.append("start-after=\(PercentEncoding.encode(startAfter))") }
        if let delimiter { query.append("delimiter=\(PercentEncoding.encode(delimiter))") }
        let request = HTTPRequest(method: "GET", url: url(bucket: bucket) + "?" + query.joined(separator: "&"))
        let call = AWSCall(service: .s3, operation: "ListObjectsV2", resource: "bucket \(bucket) prefix \(prefix)", request: request)
        let response = try transport.execute(call)
        return try S3ListParser.parse(response.body, call: call, httpStatus: response.status)
    }

    /// Every key under `prefix`, following continuation tokens.
    public func listAllObjects(bucket: String, prefix: String = "", startAfter: String? = nil, pageSize: Int = 1000) throws -> [S3ObjectSummary] {
        var objects: [S3ObjectSummary] = []
        var token: String? = nil
        repeat {
            let page = try listObjectsV2(bucket: bucket, prefix: prefix, continuationToken: token,
                                         startAfter: token == nil ? startAfter : nil, maxKeys: pageSize)
            objects += page.objects
            token = page.isTruncated ? page.nextContinuationToken : nil
        } while token != nil
        return objects
    }

    public func getObject(bucket: String, key: String) throws -> S3ObjectData {
        var result: Result<S3ObjectData, AWSError>!
        try getObjects([(bucket, key)], concurrency: 1) { _, r in result = r }
        return try result.get()
    }

    /// Fetches many objects with up to `concurrency` GETs in flight; `onObject(index, result)` runs as each
    /// completes (in completion order, on the calling thread).
    /// `stopWhen`: as `AWSTransport.execute`'s (the caller's circuit breaker).
    public func getObjects(_ objects: [(bucket: String, key: String)], concurrency: Int, stopWhen: () -> Bool = { false },
                           onObject: (Int, Result<S3ObjectData, AWSError>) -> Void) throws {
        let calls = objects.map { object in
            AWSCall(service: .s3, operation: "GetObject", resource: "bucket \(object.bucket) key \(object.key)",
                    request: HTTPRequest(method: "GET", url: url(bucket: object.bucket, key: object.key)))
        }
        try transport.execute(calls, concurrency: concurrency, stopWhen: stopWhen) { index, result in
            onObject(index, result.flatMap { response in
                // The ETag is what the object manifest compares to skip an unchanged object: never guessed.
                Self.etag(response, call: calls[index]).map { etag in
                    S3ObjectData(bucket: objects[index].bucket, key: objects[index].key, body: response.body, etag: etag,
                                 contentEncoding: response.header("content-encoding"), contentType: response.header("content-type"))
                }
            })
        }
    }

    /// Stores `body`; returns the ETag.
    @discardableResult
    public func putObject(bucket: String, key: String, body: [UInt8], contentType: String? = nil,
                          contentEncoding: String? = nil) throws -> String {
        var request = HTTPRequest(method: "PUT", url: url(bucket: bucket, key: key), body: body)
        if let contentType { request.setHeader("Content-Type", contentType) }
        if let contentEncoding { request.setHeader("Content-Encoding", contentEncoding) }
        let call = AWSCall(service: .s3, operation: "PutObject", resource: "bucket \(bucket) key \(key)", request: request)
        return try Self.etag(try transport.execute(call), call: call).get()
    }

    /// The `ETag` header, or an `InvalidResponse` error naming the call when it is missing.
    static func etag(_ response: HTTPResponse, call: AWSCall) -> Result<String, AWSError> {
        guard let etag = response.header("etag") else {
            return .failure(AWSError(service: call.service, operation: call.operation, resource: call.resource,
                                     httpStatus: response.status, code: "InvalidResponse", message: "no ETag header in response",
                                     attempts: 1))
        }
        return .success(etag)
    }

    public func createBucket(_ bucket: String) throws {
        var body: [UInt8] = []
        if transport.config.region != "us-east-1" {
            body = Array("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(transport.config.region)</LocationConstraint></CreateBucketConfiguration>".utf8)
        }
        _ = try transport.execute(AWSCall(service: .s3, operation: "CreateBucket", resource: "bucket \(bucket)",
                                          request: HTTPRequest(method: "PUT", url: url(bucket: bucket), body: body)))
    }
}
