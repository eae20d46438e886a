import CurlHTTP
/// A fetched object: the stored bytes exactly (a gzip object stays gzip) and its metadata.
public struct S3ObjectData: Sendable, Equatable {
    public var bucket: String
    public var key: String
    public var body: [UInt8]
    public var etag: String
    public var contentEncoding: String?
    public var contentType: String?

    public init(bucket: String, key: String, body: [UInt8], etag: String, contentEncoding: String? = nil, contentType: String? = nil) {
        self.bucket = bucket
        self.key = key
        self.body = body
        self.etag = etag
        self.contentEncoding = contentEncoding
        self.contentType = contentType
    }
}
