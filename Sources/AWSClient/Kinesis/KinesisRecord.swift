import CurlHTTP
/// One record from GetRecords; `data` is already base64-decoded (still possibly gzip or KPL-aggregated).
public struct KinesisRecord: Sendable, Equatable {
    public var sequenceNumber: String
    /// Epoch seconds with a fraction.
    public var approximateArrivalTimestamp: Double
    public var data: [UInt8]
    public var partitionKey: String

    public init(sequenceNumber: String, approximateArrivalTimestamp: Double, data: [UInt8], partitionKey: String) {
        self.sequenceNumber = sequenceNumber
        self.approximateArrivalTimestamp = approximateArrivalTimestamp
        self.data = data
        self.partitionKey = partitionKey
    }
}
