import CurlHTTP
/// A record to write with PutRecord(s).
public struct KinesisPutRecordsEntry: Sendable, Equatable {
    public var data: [UInt8]
    public var partitionKey: String
    public var explicitHashKey: String?

    public init(data: [UInt8], partitionKey: String, explicitHashKey: String? = nil) {
        self.data = data
        self.partitionKey = partitionKey
        self.explicitHashKey = explicitHashKey
    }
}
