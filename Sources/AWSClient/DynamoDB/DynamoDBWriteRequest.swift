import CurlHTTP
/// One BatchWriteItem entry.
public enum DynamoDBWriteRequest: Sendable, Equatable {
    case put(DynamoDBItem)
    case delete(key: DynamoDBItem)

    var json: [String: Any] {
        switch self {
        case let .put(item): return ["PutRequest": ["Item": DynamoDBAttributeValue.item(item)]]
        case let .delete(key): return ["DeleteRequest": ["Key": DynamoDBAttributeValue.item(key)]]
        }
    }

    init?(json: [String: Any]) {
        if let put = json["PutRequest"] as? [String: Any] {
            self = .put(DynamoDBAttributeValue.item(json: put["Item"]))
        } else if let delete = json["DeleteRequest"] as? [String: Any] {
            self = .delete(key: DynamoDBAttributeValue.item(json: delete["Key"]))
        } else {
            return nil
        }
    }
}
