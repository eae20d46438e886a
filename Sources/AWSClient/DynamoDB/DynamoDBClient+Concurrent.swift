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
        public init(table: String, request: DynamoDBWriteRequest, reason: String) {
            self.table = table
            self.request = request
            self.reason = reason
        }
    }

    /// What `writeConcurrently` did.
    public struct WriteReport: Sendable {
        /// Requests DynamoDB accepted.
        public var written = 0
        /// Requests resent because DynamoDB returned them as `UnprocessedItems` or throttled their call.
        public var resentUnprocessed = 0
        public var failed: [FailedWrite] = []
        /// Calls in flight now (halved on throttling, grown back by one per clean wave).
        public var concurrency = 0
        /// Seconds spent waiting for backoff so far.
        public var waited = 0.0
    }

    /// Writes every request (grouped per table into BatchWriteItem calls of at most 25), in order, within `budget`:
    /// waves of calls at the budget's current concurrency, paced to its rate. Items DynamoDB returns unprocessed,
    /// and calls it throttles, are resent after a capped, jittered backoff, for as long as the budget's total wait
    /// allows; what is left then, and calls that fail for another reason, are reported in `failed`, never thrown.
    /// `progress` runs after every completed call.
    public func writeConcurrently(_ batches: [WriteBatch], budget: DynamoDBWriteBudget,
                                  progress: (WriteReport) -> Void = { _ in }) throws -> WriteReport {
        var report = WriteReport()
        var queue: [WriteBatch] = []
        for b in batches {
            var start = 0
            while start < b.requests.count {
                queue.append(WriteBatch(table: b.table, requests: Array(b.requests[start..<min(start + Self.maxBatchWrite, b.requests.count)])))
                start += Self.maxBatchWrite
            }
        }
        var concurrency = budget.maxConcurrency
        var throttledWaves = 0
        var sent = 0
        let started = Date()
        var head = 0
        while head < queue.count {
            let wave = Array(queue[head..<min(queue.count, head + concurrency)])
            head += wave.count
            if let rate = budget.maxItemsPerSecond {
                // Paced on the items sent so far: the ceiling holds over any stretch of the run, not only on average.
                let due = Double(sent + wave.reduce(0) { $0 + $1.requests.count }) / rate
                let elapsed = Date().timeIntervalSince(started)
                if due > elapsed { Thread.sleep(forTimeInterval: due - elapsed) }
            }
            sent += wave.reduce(0) { $0 + $1.requests.count }
            let calls = try wave.map { batch in
                try transport.jsonCall(.dynamodb, operation: "BatchWriteItem", resource: "table \(batch.table)",
                                       body: ["RequestItems": [batch.table: batch.requests.map(\.json)]])
            }
            var again: [WriteBatch] = []
            var throttled = false
            try transport.execute(calls, concurrency: concurrency) { index, result in
                let batch = wave[index]
                switch result {
                case let .success(response):
                    let out: [String: Any]
                    do {
                        out = try AWSTransport.decodeJSON(response, call: calls[index])
                    } catch {
                        // An unreadable answer says nothing about what was written: the batch counts as failed.
                        report.failed += batch.requests.map { FailedWrite(table: batch.table, request: $0, reason: "\(error)") }
                        progress(report)
                        return
                    }
                    var unprocessed: [DynamoDBWriteRequest] = []
                    if let items = out["UnprocessedItems"] as? [String: Any] {
                        for (_, list) in items {
                            unprocessed += (list as? [[String: Any]] ?? []).compactMap(DynamoDBWriteRequest.init(json:))
                        }
                    }
                    report.written += batch.requests.count - unprocessed.count
                    if !unprocessed.isEmpty {
                        throttled = true
                        again.append(WriteBatch(table: batch.table, requests: unprocessed))
                    }
                case let .failure(error) where error.isThrottling:
                    // The transport's own retries were not enough: the whole batch waits for the next round.
                    throttled = true
                    again.append(batch)
                case let .failure(error):
                    report.failed += batch.requests.map { FailedWrite(table: batch.table, request: $0, reason: error.description) }
                }
                progress(report)
            }
            if throttled {
                concurrency = max(1, concurrency / 2)
                throttledWaves += 1
                let delay = budget.delay(afterThrottledWave: throttledWaves)
                let items = again.reduce(0) { $0 + $1.requests.count }
                if report.waited + delay > budget.maxRetryWait {
                    for b in again {
                        report.failed += b.requests.map {
                            FailedWrite(table: b.table, request: $0, reason: "still throttled or unprocessed when the \(budget.maxRetryWaitText) of backoff allowed ran out")
                        }
                    }
                } else {
                    transport.counters.record(retry: true, throttle: true)
                    report.resentUnprocessed += items
                    Thread.sleep(forTimeInterval: delay)
                    report.waited += delay
                    // Regrouped per table into full batches, and resent next, before the rest of the queue.
                    var regrouped: [WriteBatch] = []
                    for table in Set(again.map(\.table)).sorted() {
                        let requests = again.filter { $0.table == table }.flatMap(\.requests)
                        var start = 0
                        while start < requests.count {
                            regrouped.append(WriteBatch(table: table, requests: Array(requests[start..<min(start + Self.maxBatchWrite, requests.count)])))
                            start += Self.maxBatchWrite
                        }
                    }
                    queue.insert(contentsOf: regrouped, at: head)
                }
            } else {
                throttledWaves = 0
                concurrency = min(budget.maxConcurrency, concurrency + 1)
            }
            report.concurrency = concurrency
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
