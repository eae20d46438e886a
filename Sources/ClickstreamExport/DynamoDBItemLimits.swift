import AWSClient

/// DynamoDB's hard limits on one item, checked before sending: an item over them fails on every call and every
/// rerun, so it is reported with its key and the reason, and the other items of its batch are written.
/// (A BatchWriteItem of 25 items at most 400 KB each stays under the 16 MB request limit.)
enum DynamoDBItemLimits {
    static let maxItemBytes = 400 * 1024
    static let maxPartitionKeyBytes = 2048
    static let maxSortKeyBytes = 1024

    /// Why `item` can never be written to `table`, or nil. The size is DynamoDB's: attribute names plus values
    /// (strings as UTF-8, numbers at most 21 bytes).
    static func problem(_ item: DynamoDBItem, table: DynamoDBExportTable) -> String? {
        func bytes(_ v: DynamoDBAttributeValue?) -> Int {
            guard let v else { return 0 }
            if case let .n(text) = v { return min(21, text.utf8.count) }
            return v.stringValue?.utf8.count ?? 0
        }
        let hash = bytes(item[table.hashKey])
        if hash > maxPartitionKeyBytes {
            return "partition key \(table.hashKey) is \(hash) bytes; DynamoDB takes at most \(maxPartitionKeyBytes)"
        }
        if let range = table.rangeKey, bytes(item[range]) > maxSortKeyBytes {
            return "sort key \(range) is \(bytes(item[range])) bytes; DynamoDB takes at most \(maxSortKeyBytes)"
        }
        let size = item.reduce(0) { $0 + $1.key.utf8.count + bytes($1.value) }
        if size > maxItemBytes { return "item is \(size) bytes; DynamoDB takes at most \(maxItemBytes) (400 KB)" }
        return nil
    }
}
