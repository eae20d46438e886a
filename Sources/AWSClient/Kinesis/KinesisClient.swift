import CurlHTTP
import Foundation

/// Typed Kinesis Data Streams calls over an `AWSTransport`.
///
/// A stream is named by its name, or by its ARN (`arn:aws:kinesis:REGION:ACCOUNT:stream/NAME`, sent as `StreamARN`:
/// a stream in another account, shared through a resource policy).
///
/// ListShards pagination: AWS rejects `StreamName` together with `NextToken`, moto requires it. We send the stream
/// with `NextToken` only when `config.emulator` says the endpoint is moto (a setting, never guessed from a custom
/// endpoint, which may well be a VPC endpoint of real AWS); against AWS we send the token alone.
public final class KinesisClient: Sendable {
    public let transport: AWSTransport

    public init(transport: AWSTransport) {
        self.transport = transport
    }

    public func createStream(_ stream: String, shardCount: Int) throws {
        _ = try transport.json(.kinesis, operation: "CreateStream", resource: "stream \(stream)",
                               body: ["StreamName": stream, "ShardCount": shardCount])
    }

    public func describeStreamSummary(_ stream: String) throws -> KinesisStreamSummary {
        let out = try transport.json(.kinesis, operation: "DescribeStreamSummary", resource: "stream \(stream)",
                                     body: Self.streamField(stream))
        let d = try out.object("StreamDescriptionSummary")
        return KinesisStreamSummary(streamName: try d.string("StreamName"), streamARN: try d.string("StreamARN"),
                                    streamStatus: try d.string("StreamStatus"), openShardCount: try d.int("OpenShardCount"),
                                    retentionPeriodHours: try d.int("RetentionPeriodHours"),
                                    creationTimestamp: (d.fields["StreamCreationTimestamp"] as? NSNumber)?.doubleValue)
    }

    /// Every shard of the stream (open and closed), following `NextToken`.
    public func listShards(_ stream: String, maxResults: Int = 10000) throws -> [KinesisShard] {
        var shards: [KinesisShard] = []
        var token: String? = nil
        repeat {
            var body: [String: Any] = ["MaxResults": maxResults]
            if let token {
                body["NextToken"] = token
                if transport.config.emulator { Self.name(stream, into: &body) }
            } else {
                Self.name(stream, into: &body)
            }
            let out = try transport.json(.kinesis, operation: "ListShards", resource: "stream \(stream)", body: body)
            for s in try out.objects("Shards") {
                let range = try s.object("HashKeyRange")
                let seq = try s.object("SequenceNumberRange")
                shards.append(KinesisShard(
                    shardId: try s.string("ShardId"), parentShardId: s.optionalString("ParentShardId"),
                    adjacentParentShardId: s.optionalString("AdjacentParentShardId"),
                    startingHashKey: try range.string("StartingHashKey"), endingHashKey: try range.string("EndingHashKey"),
                    startingSequenceNumber: try seq.string("StartingSequenceNumber"),
                    endingSequenceNumber: seq.optionalString("EndingSequenceNumber")))
            }
            token = out.optionalString("NextToken")
        } while token != nil
        return shards
    }

    public func getShardIterator(stream: String, shardId: String, type: KinesisShardIteratorType) throws -> String {
        var body = type.fields
        Self.name(stream, into: &body)
        body["ShardId"] = shardId
        let out = try transport.json(.kinesis, operation: "GetShardIterator", resource: "stream \(stream) shard \(shardId)", body: body)
        return try out.string("ShardIterator")
    }

    /// One GetRecords call. `stream`/`shardId` only name the resource in errors.
    public func getRecords(iterator: String, limit: Int = 10000, stream: String = "", shardId: String = "") throws -> KinesisGetRecordsOutput {
        var result: Result<KinesisGetRecordsOutput, AWSError>!
        try getRecords([(iterator, stream, shardId)], limit: limit, concurrency: 1) { _, r in result = r }
        return try result.get()
    }

    /// GetRecords on several shards at once, `onOutput(index, result)` as each completes.
    public func getRecords(_ requests: [(iterator: String, stream: String, shardId: String)], limit: Int = 10000, concurrency: Int,
                           onOutput: (Int, Result<KinesisGetRecordsOutput, AWSError>) -> Void) throws {
        let calls = try requests.map { r in
            try transport.jsonCall(.kinesis, operation: "GetRecords", resource: Self.resource(r.stream, r.shardId),
                                   body: ["ShardIterator": r.iterator, "Limit": limit])
        }
        try transport.execute(calls, concurrency: concurrency) { index, result in
            onOutput(index, result.flatMap { response in
                do {
                    return .success(try Self.parseGetRecords(AWSTransport.decodeResponse(response, call: calls[index])))
                } catch let error as AWSError {
                    return .failure(error)
                } catch {
                    return .failure(AWSError(service: .kinesis, operation: "GetRecords", resource: calls[index].resource,
                                             httpStatus: response.status, code: "InvalidResponse", message: "\(error)", attempts: 1))
                }
            })
        }
    }

    /// `NextShardIterator` is absent once a closed shard is read to its end, `ChildShards` outside AWS, and
    /// `MillisBehindLatest` may be; everything else a record needs is required.
    static func parseGetRecords(_ out: AWSResponseObject) throws -> KinesisGetRecordsOutput {
        var records: [KinesisRecord] = []
        for r in try out.objects("Records") {
            guard let data = Data(base64Encoded: try r.string("Data")) else {
                throw r.invalid("\(r.path).Data in response is not base64")
            }
            records.append(KinesisRecord(sequenceNumber: try r.string("SequenceNumber"),
                                         approximateArrivalTimestamp: try r.double("ApproximateArrivalTimestamp"),
                                         data: [UInt8](data), partitionKey: try r.string("PartitionKey")))
        }
        let children = try out.optionalObjects("ChildShards").map {
            KinesisChildShard(shardId: try $0.string("ShardId"), parentShards: try $0.strings("ParentShards"))
        }
        return KinesisGetRecordsOutput(records: records, nextShardIterator: out.optionalString("NextShardIterator"),
                                       millisBehindLatest: out.optionalInt("MillisBehindLatest"), childShards: children)
    }

    /// Returns (shardId, sequenceNumber).
    @discardableResult
    public func putRecord(stream: String, _ entry: KinesisPutRecordsEntry) throws -> (shardId: String, sequenceNumber: String) {
        var body: [String: Any] = Self.streamField(stream).merging(["PartitionKey": entry.partitionKey,
                                   "Data": Data(entry.data).base64EncodedString()]) { a, _ in a }
        if let key = entry.explicitHashKey { body["ExplicitHashKey"] = key }
        let out = try transport.json(.kinesis, operation: "PutRecord", resource: "stream \(stream)", body: body)
        return (try out.string("ShardId"), try out.string("SequenceNumber"))
    }

    /// One PutRecords call (AWS: at most 500 entries). Entries can fail individually: check `errorCode`.
    public func putRecords(stream: String, _ entries: [KinesisPutRecordsEntry]) throws -> [KinesisPutRecordsResult] {
        let records: [[String: Any]] = entries.map { e in
            var r: [String: Any] = ["PartitionKey": e.partitionKey, "Data": Data(e.data).base64EncodedString()]
            if let key = e.explicitHashKey { r["ExplicitHashKey"] = key }
            return r
        }
        let out = try transport.json(.kinesis, operation: "PutRecords", resource: "stream \(stream)",
                                     body: Self.streamField(stream).merging(["Records": records]) { a, _ in a })
        // One result per entry, in order; each has either a sequence number and shard or an error code.
        let results = try out.objects("Records")
        guard results.count == entries.count else {
            throw out.invalid("\(results.count) Records in response for \(entries.count) entries")
        }
        return try results.map {
            let result = KinesisPutRecordsResult(sequenceNumber: $0.optionalString("SequenceNumber"), shardId: $0.optionalString("ShardId"),
                                                 errorCode: $0.optionalString("ErrorCode"), errorMessage: $0.optionalString("ErrorMessage"))
            if result.errorCode == nil {
                _ = try $0.string("SequenceNumber")
                _ = try $0.string("ShardId")
            }
            return result
        }
    }

    /// `StreamARN` for an ARN, `StreamName` otherwise.
    static func name(_ stream: String, into body: inout [String: Any]) {
        if stream.hasPrefix("arn:") { body["StreamARN"] = stream } else { body["StreamName"] = stream }
    }

    static func streamField(_ stream: String) -> [String: Any] {
        var body: [String: Any] = [:]
        name(stream, into: &body)
        return body
    }

    static func resource(_ stream: String, _ shardId: String) -> String {
        var parts: [String] = []
        if !stream.isEmpty { parts.append("stream \(stream)") }
        if !shardId.isEmpty { parts.append("shard \(shardId)") }
        return parts.joined(separator: " ")
    }
}
