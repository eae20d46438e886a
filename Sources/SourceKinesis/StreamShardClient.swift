import AWSClient

/// The Kinesis calls the live stream makes: the port between the consumer loop and AWS, so tests can inject
/// faults (an expired iterator, a failing shard) in front of the real client.
public protocol StreamShardClient: AnyObject, Sendable {
    func listShards(_ stream: String, maxResults: Int) throws -> [KinesisShard]
    func getShardIterator(stream: String, shardId: String, type: KinesisShardIteratorType) throws -> String
    /// GetRecords on several shards at once; `onOutput(index, result)` once per request.
    func getRecords(_ requests: [(iterator: String, stream: String, shardId: String)], limit: Int, concurrency: Int,
                    onOutput: (Int, Result<KinesisGetRecordsOutput, AWSError>) -> Void) throws
}

extension KinesisClient: StreamShardClient {}
