import CurlHTTP
/// Outcome of one PutRecords entry: a sequence number and shard, or an error code (e.g. throttling) to resend.
public struct KinesisPutRecordsResult: Sendable, Equatable {
    public var sequenceNumber: String?
    public var shardId: String?
    public var errorCode: String?
    public var errorMessage: String?

    public init(sequenceNumber: String? = nil, shardId: String? = nil, errorCode: String? = nil, errorMessage: String? = nil) {
        self.sequenceNumber = sequenceNumber
        self.shardId = shardId
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }
}
