import Foundation

/// Typed DynamoDB calls over an `AWSTransport`.
///
/// Batch limits are enforced here (25 writes, 100 gets per call) because moto does not enforce them and AWS rejects
/// larger batches. `batchWriteItem` returns what DynamoDB left unprocessed; `batchWriteAll` resends it with backoff.
public final class DynamoDBClient: Sendable {
    public let transport: AWSTransport

    public static let maxBatchWrite = 25
    public static let maxBatchGet = 100

    public init(transport: AWSTransport) {
        self.transport = transport
    }

    /// On-demand table with a string/number hash key and optional range key.
    public func createTable(_ table: String, key: [DynamoDBKeySchemaElement]) throws {
        _ = try transport.json(.dynamodb, operation: "CreateTable", resource: "table \(table)", body: [
            "TableName": table,
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": key.map { ["AttributeName": $0.attributeName, "KeyType": $0.keyType] },
            "AttributeDefinitions": key.map { ["AttributeName": $0.attributeName, "AttributeType": $0.attributeType] },
        ])
    }

    public func describeTable(_ table: String) throws -> DynamoDBTableDescription {
        let out = try transport.json(.dynamodb, operation: "DescribeTable", resource: "table \(table)", body: ["TableName": table])
        let t = out["Table"] as? [String: Any] ?? [:]
        var types: [String: String] = [:]
        for d in t["AttributeDefinitions"] as? [[String: Any]] ?? [] {
            if let name = d["AttributeName"] as? String { types[name] = d["AttributeType"] as? String ?? "" }
        }
        let schema = (t["KeySchema"] as? [[String: Any]] ?? []).map { k -> DynamoDBKeySchemaElement in
            let name = k["AttributeName"] as? String ?? ""
            return DynamoDBKeySchemaElement(attributeName: name, keyType: k["KeyType"] as? String ?? "", attributeType: types[name] ?? "")
        }.sorted { $0.keyType == "HASH" && $1.keyType != "HASH" }
        return DynamoDBTableDescription(tableName: t["TableName"] as? String ?? table, tableStatus: t["TableStatus"] as? String ?? "",
                                        keySchema: schema, itemCount: (t["ItemCount"] as? NSNumber)?.intValue ?? 0)
    }

    /// One BatchWriteItem call (at most 25 requests in total); returns the unprocessed requests per table.
    public func batchWriteItem(_ requests: [String: [DynamoDBWriteRequest]]) throws -> [String: [DynamoDBWriteRequest]] {
        let total = requests.values.reduce(0) { $0 + $1.count }
        let tables = requests.keys.sorted().joined(separator: ",")
        guard total <= Self.maxBatchWrite else {
            throw AWSError(service: .dynamodb, operation: "BatchWriteItem", resource: "table \(tables)", httpStatus: nil,
                           code: "ValidationException", message: "a batch holds at most 25 requests, got \(total)", attempts: 0)
        }
        let out = try transport.json(.dynamodb, operation: "BatchWriteItem", resource: "table \(tables)",
                                     body: ["RequestItems": requests.mapValues { $0.map(\.json) }])
        var unprocessed: [String: [DynamoDBWriteRequest]] = [:]
        for (table, list) in out["UnprocessedItems"] as? [String: Any] ?? [:] {
            let parsed = (list as? [[String: Any]] ?? []).compactMap(DynamoDBWriteRequest.init(json:))
            if !parsed.isEmpty { unprocessed[table] = parsed }
        }
        return unprocessed
    }

    /// Writes every request in batches of 25, resending unprocessed items with the transport's backoff; throws when
    /// items are still unprocessed after `retryPolicy.maxAttempts` rounds. Returns how many resends were needed.
    @discardableResult
    public func batchWriteAll(table: String, _ requests: [DynamoDBWriteRequest]) throws -> Int {
        var resends = 0
        var start = 0
        while start < requests.count {
            var pending = Array(requests[start..<min(start + Self.maxBatchWrite, requests.count)])
            start += Self.maxBatchWrite
            var round = 1
            while !pending.isEmpty {
                pending = try batchWriteItem([table: pending])[table] ?? []
                if pending.isEmpty { break }
                guard round < transport.retryPolicy.maxAttempts else {
                    throw AWSError(service: .dynamodb, operation: "BatchWriteItem", resource: "table \(table)", httpStatus: 200,
                                   code: "UnprocessedItems", message: "\(pending.count) items still unprocessed", attempts: round,
                                   isThrottling: true)
                }
                transport.counters.record(retry: true, throttle: true)
                resends += 1
                Thread.sleep(forTimeInterval: transport.retryPolicy.delay(beforeRetry: round))
                round += 1
            }
        }
        return resends
    }

    /// One BatchGetItem call (at most 100 keys in total): items found and keys left unprocessed, per table.
    public func batchGetItem(_ keys: [String: [DynamoDBItem]], consistentRead: Bool = false) throws
        -> (items: [String: [DynamoDBItem]], unprocessedKeys: [String: [DynamoDBItem]]) {
        let total = keys.values.reduce(0) { $0 + $1.count }
        let tables = keys.keys.sorted().joined(separator: ",")
        guard total <= Self.maxBatchGet else {
            throw AWSError(service: .dynamodb, operation: "BatchGetItem", resource: "table \(tables)", httpStatus: nil,
                           code: "ValidationException", message: "a batch holds at most 100 keys, got \(total)", attempts: 0)
        }
        let out = try transport.json(.dynamodb, operation: "BatchGetItem", resource: "table \(tables)", body: [
            "RequestItems": keys.mapValues { ["Keys": $0.map(DynamoDBAttributeValue.item), "ConsistentRead": consistentRead] },
        ])
        var items: [String: [DynamoDBItem]] = [:]
        for (table, list) in out["Responses"] as? [String: Any] ?? [:] {
            items[table] = (list as? [Any] ?? []).map { DynamoDBAttributeValue.item(json: $0) }
        }
        var unprocessed: [String: [DynamoDBItem]] = [:]
        for (table, entry) in out["UnprocessedKeys"] as? [String: Any] ?? [:] {
            let list = ((entry as? [String: Any])?["Keys"] as? [Any] ?? []).map { DynamoDBAttributeValue.item(json: $0) }
            if !list.isEmpty { unprocessed[table] = list }
        }
        return (items, unprocessed)
    }

    public func query(_ table: String, keyConditionExpression: String, expressionAttributeValues: DynamoDBItem,
                      expressionAttributeNames: [String: String] = [:], exclusiveStartKey: DynamoDBItem? = nil,
                      limit: Int? = nil, scanIndexForward: Bool = true) throws -> DynamoDBPage {
        var body: [String: Any] = [
            "TableName": table, "KeyConditionExpression": keyConditionExpression,
            "ExpressionAttributeValues": DynamoDBAttributeValue.item(expressionAttributeValues),
            "ScanIndexForward": scanIndexForward,
        ]
        if !expressionAttributeNames.isEmpty { body["ExpressionAttributeNames"] = expressionAttributeNames }
        if let exclusiveStartKey { body["ExclusiveStartKey"] = DynamoDBAttributeValue.item(exclusiveStartKey) }
        if let limit { body["Limit"] = limit }
        return Self.page(try transport.json(.dynamodb, operation: "Query", resource: "table \(table)", body: body))
    }

    public func scan(_ table: String, exclusiveStartKey: DynamoDBItem? = nil, limit: Int? = nil) throws -> DynamoDBPage {
        var body: [String: Any] = ["TableName": table]
        if let exclusiveStartKey { body["ExclusiveStartKey"] = DynamoDBAttributeValue.item(exclusiveStartKey) }
        if let limit { body["Limit"] = limit }
        return Self.page(try transport.json(.dynamodb, operation: "Scan", resource: "table \(table)", body: body))
    }

    static func page(_ out: [String: Any]) -> DynamoDBPage {
        let items = (out["Items"] as? [Any] ?? []).map { DynamoDBAttributeValue.item(json: $0) }
        let last = out["LastEvaluatedKey"].map { DynamoDBAttributeValue.item(json: $0) }
        return DynamoDBPage(items: items, lastEvaluatedKey: last)
    }
}
