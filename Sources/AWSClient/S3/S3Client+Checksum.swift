import CurlHTTP
import Foundation

/// Objects stored with a SHA-256 that travels with them: on upload S3 checks the body against
/// `x-amz-checksum-sha256` (and rejects a body damaged on the way), and the hex digest is kept as user metadata
/// (`x-amz-meta-sha256`) so a later download can check what it received without asking for checksum mode.
extension S3Client {
    /// SHA-256 of `bytes`, lowercase hex.
    public static func sha256Hex(_ bytes: [UInt8]) -> String { Crypto.hex(Crypto.sha256(bytes)) }

    /// Stores `body` with its SHA-256; returns the ETag.
    @discardableResult
    public func putObjectChecksummed(bucket: String, key: String, body: [UInt8]) throws -> String {
        let digest = Crypto.sha256(body)
        var request = HTTPRequest(method: "PUT", url: url(bucket: bucket, key: key), body: body)
        request.setHeader("Content-Type", "application/vnd.sqlite3")
        request.setHeader("x-amz-checksum-sha256", Data(digest).base64EncodedString())
        request.setHeader("x-amz-meta-sha256", Crypto.hex(digest))
        let call = AWSCall(service: .s3, operation: "PutObject", resource: "bucket \(bucket) key \(key)", request: request)
        return try Self.etag(try transport.execute(call), call: call).get()
    }

    /// Fetches an object and checks it against the SHA-256 it was stored with (when it has one): a mismatch is an
    /// `AWSError` with code `ChecksumMismatch` naming the key. Returns the body and whether a checksum was checked.
    public func getObjectChecked(bucket: String, key: String) throws -> (body: [UInt8], checked: Bool) {
        let call = AWSCall(service: .s3, operation: "GetObject", resource: "bucket \(bucket) key \(key)",
                           request: HTTPRequest(method: "GET", url: url(bucket: bucket, key: key)))
        let response = try transport.execute(call)
        guard let expected = response.header("x-amz-meta-sha256") else { return (response.body, false) }
        let actual = Self.sha256Hex(response.body)
        guard actual == expected.lowercased() else {
            throw AWSError(service: .s3, operation: "GetObject", resource: call.resource, httpStatus: response.status,
                           code: "ChecksumMismatch",
                           message: "the body's SHA-256 is \(actual), the object was stored with \(expected)", attempts: 1)
        }
        return (response.body, true)
    }
}
