import Foundation

/// Typed Kinesis Data Streams calls over an `AWSTransport`.
///
/// ListShards pagination: AWS rejects `StreamName` together with `NextToken`, moto requires it. We send `StreamName`
/// with `NextToken` only when the Kinesis endpoint is custom (an emulator); against AWS we send the token alone.
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
                                     body: ["StreamName": stream])
        let d = out["StreamDescriptionSummary"] as? [String: Any] ?? [:]
        return KinesisStreamSummary(streamName: d["StreamName"] as? String ?? stream, streamARN: d["StreamARN"] as? String ?? "",
                                    streamStatus: d["StreamStatus"] as? String ?? "", openShardCount: d["OpenShardCount"] as? Int ?? 0,
                                    retentionPeriodHours: d["RetentionPeriodHours"] as? Int ?? 0)
    }

    /// Every shard of the stream (open and closed), following `NextToken`.
    public func listShards(_ stream: String, maxResults: Int = 10000) throws -> [KinesisShard] {
        var shards: [KinesisShard] = []
        var token: String? = nil
        repeat {
            var body: [String: Any] = ["MaxResults": maxResults]
            if let token {
                body["NextToken"] = token
                if transport.config.hasCustomEndpoint(.kinesis) { body["StreamName"] = stream }
            } else {
                body["StreamName"] = stream
            }
            let out = try transport.json(.kinesis, operation: "ListShards", resource: "stream \(stream)", body: body)
            for s in out["Shards"] as? [[String: Any]] ?? [] {
                let range = s["HashKeyRange"] as? [String: Any] ?? [:]
                let seq = s["SequenceNumberRange"] as? [String: Any] ?? [:]
                shards.append(KinesisShard(
                    shardId: s["ShardId"] as? String ?? "", parentShardId: s["ParentShardId"] as? String,
                    adjacentParentShardId: s["AdjacentParentShardId"] as? String,
                    startingHashKey: range["StartingHashKey"] as? String ?? "", endingHashKey: range["EndingHashKey"] as? String ?? "",
                    startingSequenceNumber: seq["StartingSequenceNumber"] as? String ?? "",
                    endingSequenceNumber: seq["EndingSequenceNumber"] as? String))
            }
            token = out["NextToken"] as? String
        } while token != nil
        return shards
    }

    public func getShardIterator(stream: String, shardId: String, type: KinesisShardIteratorType) throws -> String {
        var body = type.fields
        body["StreamName"] = stream
        body["ShardId"] = shardId
        let out = try transport.json(.kinesis, operation: "GetShardIterator", resource: "stream \(stream) shard \(shardId)", body: body)
        guard let iterator = out["ShardIterator"] as? String else {
            throw AWSError(service: .kinesis, operation: "GetShardIterator", resource: "stream \(stream) shard \(shardId)",
                           httpStatus: 200, code: "InvalidResponse", message: "no ShardIterator in response", attempts: 1)
        }
        return iterator
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
                    return .success(try Self.parseGetRecords(AWSTransport.decodeJSON(response, call: calls[index])))
                } catch let error as AWSError {
                    return .failure(error)
                } catch {
                    return .failure(AWSError(service: .kinesis, operation: "GetRecords", resource: calls[index].resource,
                                             httpStatus: response.status, code: "InvalidResponse", message: "\(error)", attempts: 1))
                }
            })
        }
    }

    static func parseGetRecords(_ out: [String: Any]) -> KinesisGetRecordsOutput {
        var records: [KinesisRecord] = []
        for r in out["Records"] as? [[String: Any]] ?? [] {
            let data = (r["Data"] as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } ?? []
            records.append(KinesisRecord(sequenceNumber: r["SequenceNumber"] as? String ?? "",
                                         approximateArrivalTimestamp: (r["ApproximateArrivalTimestamp"] as? NSNumber)?.doubleValue ?? 0,
                                         data: data, partitionKey: r["PartitionKey"] as? String ?? ""))
        }
        let children = (out["ChildShards"] as? [[String: Any]] ?? []).map {
            KinesisChildShard(shardId: $0["ShardId"] as? String ?? "", parentShards: $0["ParentShards"] as? [String] ?? [])
        }
        return KinesisGetRecordsOutput(records: records, nextShardIterator: out["NextShardIterator"] as? String,
                                       millisBehindLatest: (out["MillisBehindLatest"] as? NSNumber)?.intValue, childShards: children)
    }

    /// Returns (shardId, sequenceNumber).
    @discardableResult
    public func putRecord(stream: String, _ entry: KinesisPutRecordsEntry) throws -> (shardId: String, sequenceNumber: String) {
        var body: [String: Any] = ["StreamName": stream, "PartitionKey": entry.partitionKey,
                                   "Data": Data(entry.data).base64EncodedString()]
        if let key = entry.explicitHashKey { body["ExplicitHashKey"] = key }
        let out = try transport.json(.kinesis, operation: "PutRecord", resource: "stream \(stream)", body: body)
        return (out["ShardId"] as? String ?? "", out["SequenceNumber"] as? String ?? "")
    }

    /// One PutRecords call (AWS: at most 500 entries). Entries can fail individually: check `errorCode`.
    public func putRecords(stream: String, _ entries: [KinesisPutRecordsEntry]) throws -> [KinesisPutRecordsResult] {
        let records: [[String: Any]] = entries.map { e in
            var r: [String: Any] = ["PartitionKey": e.partitionKey, "Data": Data(e.data).base64EncodedString()]
            if let key = e.explicitHashKey { r["ExplicitHashKey"] = key }
            return r
        }
        let out = try transport.json(.kinesis, operation: "PutRecords", resource: "stream \(stream)",
                                     body: ["StreamName": stream, "Records": records])
        return (out["Records"] as? [[String: Any]] ?? []).map {
            KinesisPutRecordsResult(sequenceNumber: $0["SequenceNumber"] as? String, shardId: $0["ShardId"] as? String,
                                    errorCode: $0["ErrorCode"] as? String, errorMessage: $0["ErrorMessage"] as? String)
        }
    }

    static func resource(_ stream: String, _ shardId: String) -> String {
        var parts: [String] = []
        if !stream.isEmpty { parts.append("stream \(stream)") }
        if !shardId.isEmpty { parts.append("shard \(shardId)") }
        return parts.joined(separator: " ")
    }
}
