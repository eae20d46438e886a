import CurlHTTP
/// One key attribute of a table: `keyType` is `HASH` or `RANGE`; `attributeType` is `S`, `N` or `B`.
public struct DynamoDBKeySchemaElement: Sendable, Equatable {
    public var attributeName: String
    public var keyType: String
    public var attributeType: String

    public init(attributeName: String, keyType: String, attributeType: String) {
        self.attributeName = attributeName
        self.keyType = keyType
        self.attributeType = attributeType
    }
}
