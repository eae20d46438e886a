import AWSClient

/// The Kinesis calls the live stream makes: the port between the consumer loop and AWS, so tests can inject
/// faults (an expired iterator, a failing shard) in front of the real client.
public protocol StreamShardClient: AnyObject, Sendable {
    func listShards(_ stream: String, maxResults: Int) throws -> [KinesisShard]
    func getShardIterator(stream: String, shardId: String, type: KinesisShardIteratorType) throws -> String
    /// GetRecords on several shards at once; `onOutput(index, result)` once per request.
    func getRecords(_ requests: [(iterator: String, stream: String, shardId: String)], limit: Int, concurrency: Int,
                    onOutput: (Int, Result<KinesisGetRecordsOutput, AWSError>) -> Void) throws
    /// What tells this stream from another created later under the same name (ARN and creation time), or nil
    /// when the client cannot say.
    func streamIdentity(_ stream: String) throws -> String?
}

extension StreamShardClient {
    public func streamIdentity(_ stream: String) throws -> String? { nil }
}

extension KinesisClient: StreamShardClient {
    public func streamIdentity(_ stream: String) throws -> String? { try describeStreamSummary(stream).identity }
}
