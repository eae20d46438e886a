/// One Query or Scan page; pass `lastEvaluatedKey` as `exclusiveStartKey` for the next, nil means done.
public struct DynamoDBPage: Sendable, Equatable {
    public var items: [DynamoDBItem]
    public var lastEvaluatedKey: DynamoDBItem?
}
