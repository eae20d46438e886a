import CurlHTTP
/// One entry of a ListObjectsV2 page.
public struct S3ObjectSummary: Sendable, Equatable {
    public var key: String
    /// As S3 returns it: a quoted hex MD5 for simple uploads.
    public var etag: String
    public var size: Int64
    /// ISO 8601 as S3 returns it.
    public var lastModified: String

    public init(key: String, etag: String, size: Int64, lastModified: String = "") {
        self.key = key
        self.etag = etag
        self.size = size
        self.lastModified = lastModified
    }
}
