import CurlHTTP
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
        let t = try out.object("Table")
        var types: [String: String] = [:]
        for d in try t.objects("AttributeDefinitions") {
            types[try d.string("AttributeName")] = try d.string("AttributeType")
        }
        let schema = try t.objects("KeySchema").map { k -> DynamoDBKeySchemaElement in
            let name = try k.string("AttributeName")
            guard let type = types[name] else { throw k.invalid("no AttributeDefinitions entry for key attribute \(name) in response") }
            return DynamoDBKeySchemaElement(attributeName: name, keyType: try k.string("KeyType"), attributeType: type)
        }.sorted { $0.keyType == "HASH" && $1.keyType != "HASH" }
        // ItemCount is an estimate AWS refreshes every few hours (and emulators may leave out): 0 when absent.
        return DynamoDBTableDescription(tableName: try t.string("TableName"), tableStatus: try t.string("TableStatus"),
                                        keySchema: schema, itemCount: t.optionalInt("ItemCount") ?? 0)
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
        for (table, list) in out.fields["UnprocessedItems"] as? [String: Any] ?? [:] {
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
        for (table, list) in try Self.responses(out) {
            items[table] = list
        }
        var unprocessed: [String: [DynamoDBItem]] = [:]
        for (table, entry) in out.fields["UnprocessedKeys"] as? [String: Any] ?? [:] {
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
        return try Self.page(transport.json(.dynamodb, operation: "Query", resource: "table \(table)", body: body))
    }

    public func scan(_ table: String, exclusiveStartKey: DynamoDBItem? = nil, limit: Int? = nil) throws -> DynamoDBPage {
        var body: [String: Any] = ["TableName": table]
        if let exclusiveStartKey { body["ExclusiveStartKey"] = DynamoDBAttributeValue.item(exclusiveStartKey) }
        if let limit { body["Limit"] = limit }
        return try Self.page(transport.json(.dynamodb, operation: "Scan", resource: "table \(table)", body: body))
    }

    /// A Query or Scan page: `Items` is required (absent would read as "no items"), `LastEvaluatedKey` is absent on
    /// the last page.
    static func page(_ out: AWSResponseObject) throws -> DynamoDBPage {
        let list: [Any]
        switch out.fields["Items"] {
        case let items as [Any]: list = items
        case nil: throw out.invalid("no Items in response")
        default: throw out.invalid("Items in response is not a list")
        }
        let last = out.fields["LastEvaluatedKey"].map { DynamoDBAttributeValue.item(json: $0) }
        return DynamoDBPage(items: list.map { DynamoDBAttributeValue.item(json: $0) }, lastEvaluatedKey: last)
    }

    /// BatchGetItem's `Responses`, items per table: required, since absent would read as "none of the keys exist".
    static func responses(_ out: AWSResponseObject) throws -> [String: [DynamoDBItem]] {
        guard let responses = out.fields["Responses"] else { throw out.invalid("no Responses in response") }
        guard let tables = responses as? [String: Any] else { throw out.invalid("Responses in response is not an object") }
        var items: [String: [DynamoDBItem]] = [:]
        for (table, list) in tables {
            guard let list = list as? [Any] else { throw out.invalid("Responses.\(table) in response is not a list") }
            items[table] = list.map { DynamoDBAttributeValue.item(json: $0) }
        }
        return items
    }
}
