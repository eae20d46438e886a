import CurlHTTP
/// One ListObjectsV2 page. Pass `nextContinuationToken` back to get the next; nil means this was the last page.
public struct S3ListPage: Sendable, Equatable {
    public var objects: [S3ObjectSummary]
    public var commonPrefixes: [String]
    public var nextContinuationToken: String?
    public var isTruncated: Bool

    public init(objects: [S3ObjectSummary], commonPrefixes: [String] = [], nextContinuationToken: String?, isTruncated: Bool) {
        self.objects = objects
        self.commonPrefixes = commonPrefixes
        self.nextContinuationToken = nextContinuationToken
        self.isTruncated = isTruncated
    }
}
