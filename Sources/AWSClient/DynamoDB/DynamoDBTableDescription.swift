import CurlHTTP
/// The fields of DescribeTable we use.
public struct DynamoDBTableDescription: Sendable, Equatable {
    public var tableName: String
    public var tableStatus: String
    /// HASH first, then RANGE when present.
    public var keySchema: [DynamoDBKeySchemaElement]
    public var itemCount: Int

    public init(tableName: String, tableStatus: String, keySchema: [DynamoDBKeySchemaElement], itemCount: Int) {
        self.tableName = tableName
        self.tableStatus = tableStatus
        self.keySchema = keySchema
        self.itemCount = itemCount
    }
}
