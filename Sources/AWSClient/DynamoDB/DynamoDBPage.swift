import CurlHTTP
/// One Query or Scan page; pass `lastEvaluatedKey` as `exclusiveStartKey` for the next, nil means done.
public struct DynamoDBPage: Sendable, Equatable {
    public var items: [DynamoDBItem]
    public var lastEvaluatedKey: DynamoDBItem?

    public init(items: [DynamoDBItem], lastEvaluatedKey: DynamoDBItem? = nil) {
        self.items = items
        self.lastEvaluatedKey = lastEvaluatedKey
    }
}
