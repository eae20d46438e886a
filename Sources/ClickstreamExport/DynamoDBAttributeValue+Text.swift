import AWSClient

extension DynamoDBAttributeValue {
    /// The text of an S or N value.
    var stringValue: String? {
        switch self {
        case let .s(v), let .n(v): return v
        default: return nil
        }
    }
}
