import CurlHTTP
import Foundation

/// Many DynamoDB calls with several requests in flight on the transport's connection pool: the bulk paths of
/// `clickstream export dynamodb`. Throttling and 5xx answers are retried per call by `AWSTransport`; the item-level
/// leftovers (`UnprocessedItems`, `UnprocessedKeys`) are resent here in later rounds with the same backoff.
extension DynamoDBClient {
    /// One batch for `writeConcurrently`: at most 25 requests to one table.
    public struct WriteBatch: Sendable {
        public var table: String
        public var requests: [DynamoDBWriteRequest]
        public init(table: String, requests: [DynamoDBWriteRequest]) {
            self.table = table
            self.requests = requests
        }
    }

    /// A request that was not written: still unprocessed after every round, or its call failed for good.
    public struct FailedWrite: Sendable {
        public var table: String
        public var request: DynamoDBWriteRequest
        public var reason: String
    }

    /// What `writeConcurrently` did.
    public struct WriteReport: Sendable {
        /// Requests DynamoDB accepted.
        public var written = 0
        /// Requests resent because DynamoDB returned them as `UnprocessedItems`.
        public var resentUnprocessed = 0
        public var failed: [FailedWrite] = []
    }

    /// Writes every request (grouped per table into BatchWriteItem calls of at most 25) with up to `concurrency`
    /// calls in flight. Unprocessed items are regrouped and resent after `retryPolicy`'s backoff, at most
    /// `retryPolicy.maxAttempts` rounds each; what is left is reported in `failed`, never thrown.
    /// `progress(written)` runs after every completed call.
    public func writeConcurrently(_ batches: [WriteBatch], concurrency: Int,
                                  progress: (WriteReport) -> Void = { _ in }) throws -> WriteReport {
        var report = WriteReport()
        // (batch, round): round 1 is the first send.
        var queue: [(batch: WriteBatch, round: Int)] = []
        for b in batches {
            var start = 0
            while start < b.requests.count {
                let slice = Array(b.requests[start..<min(start + Self.maxBatchWrite, b.requests.count)])
                queue.append((WriteBatch(table: b.table, requests: slice), 1))
                start += Self.maxBatchWrite
            }
        }
        // Waves bound the memory of signed requests and let retries of one wave join the next.
        let waveSize = max(1, concurrency) * 8
        while !queue.isEmpty {
            let wave = Array(queue.prefix(waveSize))
            queue.removeFirst(wave.count)
            let highestRound = wave.map(\.round).max() ?? 1
            if highestRound > 1 { Thread.sleep(forTimeInterval: transport.retryPolicy.delay(beforeRetry: highestRound - 1)) }
            let calls = try wave.map { entry in
                try transport.jsonCall(.dynamodb, operation: "BatchWriteItem", resource: "table \(entry.batch.table)",
                                       body: ["RequestItems": [entry.batch.table: entry.batch.requests.map(\.json)]])
            }
            var retry: [String: [(DynamoDBWriteRequest, Int)]] = [:]
            try transport.execute(calls, concurrency: concurrency) { index, result in
                let entry = wave[index]
                switch result {
                case let .success(response):
                    let out: [String: Any]
                    do {
                        out = try AWSTransport.decodeJSON(response, call: calls[index])
                    } catch {
                        // An unreadable answer says nothing about what was written: the batch counts as failed.
                        report.failed += entry.batch.requests.map {
                            FailedWrite(table: entry.batch.table, request: $0, reason: "\(error)")
                        }
                        progress(report)
                        return
                    }
                    var unprocessed: [DynamoDBWriteRequest] = []
                    if let items = out["UnprocessedItems"] as? [String: Any] {
                        for (_, list) in items {
                            unprocessed += (list as? [[String: Any]] ?? []).compactMap(DynamoDBWriteRequest.init(json:))
                        }
                    }
                    report.written += entry.batch.requests.count - unprocessed.count
                    if !unprocessed.isEmpty {
                        if entry.round < transport.retryPolicy.maxAttempts {
                            transport.counters.record(retry: true, throttle: true)
                            report.resentUnprocessed += unprocessed.count
                            retry[entry.batch.table, default: []] += unprocessed.map { ($0, entry.round + 1) }
                        } else {
                            report.failed += unprocessed.map {
                                FailedWrite(table: entry.batch.table, request: $0,
                                            reason: "still unprocessed after \(entry.round) attempts")
                            }
                        }
                    }
                case let .failure(error):
                    report.failed += entry.batch.requests.map {
                        FailedWrite(table: entry.batch.table, request: $0, reason: error.description)
                    }
                }
                progress(report)
            }
            for table in retry.keys.sorted() {
                let list = retry[table]!
                var start = 0
                while start < list.count {
                    let slice = list[start..<min(start + Self.maxBatchWrite, list.count)]
                    queue.append((WriteBatch(table: table, requests: slice.map(\.0)), slice.map(\.1).max()!))
                    start += Self.maxBatchWrite
                }
            }
        }
        return report
    }

    /// Reads the items at `keys` of one table (BatchGetItem, 100 keys a call, up to `concurrency` in flight),
    /// resending `UnprocessedKeys` with backoff. Items that do not exist are simply absent from the result.
    /// `progress(keysAnswered, itemsFound)` runs after every completed call.
    public func getConcurrently(table: String, keys: [DynamoDBItem], concurrency: Int,
                                progress: (Int, Int) -> Void = { _, _ in }) throws -> [DynamoDBItem] {
        var found: [DynamoDBItem] = []
        var answered = 0
        var pending = keys
        var round = 1
        while !pending.isEmpty {
            if round > 1 {
                guard round <= transport.retryPolicy.maxAttempts else {
                    throw AWSError(service: .dynamodb, operation: "BatchGetItem", resource: "table \(table)", httpStatus: 200,
                                   code: "UnprocessedKeys", message: "\(pending.count) keys still unprocessed", attempts: round - 1,
                                   isThrottling: true)
                }
                transport.counters.record(retry: true, throttle: true)
                Thread.sleep(forTimeInterval: transport.retryPolicy.delay(beforeRetry: round - 1))
            }
            var chunks: [[DynamoDBItem]] = []
            var start = 0
            while start < pending.count {
                chunks.append(Array(pending[start..<min(start + Self.maxBatchGet, pending.count)]))
                start += Self.maxBatchGet
            }
            let calls = try chunks.map {
                try transport.jsonCall(.dynamodb, operation: "BatchGetItem", resource: "table \(table)",
                                       body: ["RequestItems": [table: ["Keys": $0.map(DynamoDBAttributeValue.item)]]])
            }
            var next: [DynamoDBItem] = []
            var failure: AWSError?
            try transport.execute(calls, concurrency: concurrency) { index, result in
                switch result {
                case let .success(response):
                    let out: AWSResponseObject
                    do {
                        out = try AWSTransport.decodeResponse(response, call: calls[index])
                        for (_, list) in try Self.responses(out) { found += list }
                    } catch {
                        failure = failure ?? (error as? AWSError)
                        return
                    }
                    let unprocessed = next.count
                    for (_, entry) in out.fields["UnprocessedKeys"] as? [String: Any] ?? [:] {
                        next += ((entry as? [String: Any])?["Keys"] as? [Any] ?? []).map { DynamoDBAttributeValue.item(json: $0) }
                    }
                    answered += chunks[index].count - (next.count - unprocessed)
                    progress(answered, found.count)
                case let .failure(error):
                    failure = failure ?? error
                }
            }
            if let failure { throw failure }
            pending = next
            round += 1
        }
        return found
    }

    /// Runs one Query per entry of `queries` (all pages), up to `concurrency` in flight; returns every item found.
    /// Each query is `(keyConditionExpression, expressionAttributeValues)`; attribute names are `#h`/`#r` as given.
    /// `progress(queriesFinished, itemsFound)` runs after every completed page.
    public func queryConcurrently(table: String, queries: [(condition: String, values: DynamoDBItem)],
                                  names: [String: String], concurrency: Int,
                                  progress: (Int, Int) -> Void = { _, _ in }) throws -> [DynamoDBItem] {
        var found: [DynamoDBItem] = []
        var finished = 0
        // (query index, start key) still to fetch.
        var pending: [(Int, DynamoDBItem?)] = queries.indices.map { ($0, nil) }
        while !pending.isEmpty {
            let calls = try pending.map { entry -> AWSCall in
                let q = queries[entry.0]
                var body: [String: Any] = [
                    "TableName": table, "KeyConditionExpression": q.condition,
                    "ExpressionAttributeValues": DynamoDBAttributeValue.item(q.values),
                ]
                if !names.isEmpty { body["ExpressionAttributeNames"] = names }
                if let start = entry.1 { body["ExclusiveStartKey"] = DynamoDBAttributeValue.item(start) }
                return try transport.jsonCall(.dynamodb, operation: "Query", resource: "table \(table)", body: body)
            }
            var next: [(Int, DynamoDBItem?)] = []
            var failure: AWSError?
            let current = pending
            try transport.execute(calls, concurrency: concurrency) { index, result in
                switch result {
                case let .success(response):
                    // An unreadable page fails the call: skipping it would drop its items (and the pages after it).
                    let page: DynamoDBPage
                    do {
                        page = try Self.page(AWSTransport.decodeResponse(response, call: calls[index]))
                    } catch {
                        failure = failure ?? (error as? AWSError)
                        return
                    }
                    found += page.items
                    if let last = page.lastEvaluatedKey, !last.isEmpty { next.append((current[index].0, last)) } else { finished += 1 }
                    progress(finished, found.count)
                case let .failure(error):
                    failure = failure ?? error
                }
            }
            if let failure { throw failure }
            pending = next
        }
        return found
    }
}
