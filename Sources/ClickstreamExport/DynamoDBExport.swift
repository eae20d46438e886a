import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import Foundation

/// Puts the window's rows of `page_metrics`, `session_metrics` and `counters` into the three DynamoDB tables of
/// docs/dynamodb.md, overwriting whole items (so exporting twice leaves the same items), or — with `dryRun` — reads
/// what is there and reports what an export would change, writing nothing.
///
/// Before any write it checks that every table exists with the expected key schema and refuses (exit 2) if not.
/// Items still unwritten after every retry are listed and make the run fail (exit 1); the others stay written
/// (an export is idempotent, so re-running it is the fix). A real export holds the store's writer lock, so no
/// replay changes the rows while they are being exported, and is recorded in `runs`.
public final class DynamoDBExport {
    public let options: DynamoDBExportOptions
    let log: Log

    public init(options: DynamoDBExportOptions, log: Log) {
        self.options = options
        self.log = log
    }

    public func run() throws -> DynamoDBExportSummary {
        let started = Date()
        let tables = DynamoDBExportTable.all(prefix: options.tablePrefix)
        guard FileManager.default.fileExists(atPath: options.databasePath) else {
            throw ClickstreamError(.database, nil, "database \(options.databasePath) does not exist; run `clickstream replay` first")
        }
        let client = try makeClient()
        try checkTables(tables, client: client)

        var summary = DynamoDBExportSummary(tablePrefix: options.tablePrefix, dryRun: options.dryRun)
        if options.dryRun {
            let (items, _) = prepared(tables, try readItems(tables), summary: &summary)
            for (table, list) in zip(tables, items) {
                summary.itemsPerTable[table.name] = list.count
                summary.diffs.append(try diff(table, ours: list, client: client))
            }
            log.endProgress()
            summary.seconds = Date().timeIntervalSince(started)
            summary.retries = client.transport.counters.retries
            summary.throttles = client.transport.counters.throttles
            return summary
        }

        let writer = try WriterStore(path: options.databasePath, command: options.commandName)
        defer { withExtendedLifetime(writer) {} }
        let run = try RunRecorder(store: writer.store, command: options.commandName,
                                  sources: ["dynamodb://\(options.tablePrefix)"], window: options.window, rebuild: false)
        do {
            let (items, invalid) = prepared(tables, try readItems(tables), summary: &summary)
            var batches: [DynamoDBClient.WriteBatch] = []
            for (table, list) in zip(tables, items) {
                summary.itemsPerTable[table.name] = list.count + invalid.filter { $0.table == table.name }.count
                batches.append(.init(table: table.name, requests: Self.interleaved(list, by: table.hashKey).map { .put($0) }))
            }
            let total = summary.totalItems
            var lastShown = Date.distantPast
            let counters = client.transport.counters
            let report = try client.writeConcurrently(batches, budget: options.writeBudget) { r in
                let now = Date()
                guard now.timeIntervalSince(lastShown) >= 0.5 else { return }
                lastShown = now
                let rate = Double(r.written) / max(now.timeIntervalSince(started), 0.001)
                log.progress("written \(r.written)/\(total) items, \(Int(rate)) items/s, \(r.concurrency) calls in flight, "
                             + "\(counters.retries) retries, \(counters.throttles) throttles",
                             ["written": r.written, "total": total, "items_per_second": Int(rate), "concurrency": r.concurrency,
                              "retries": counters.retries, "throttles": counters.throttles])
            }
            log.endProgress()
            summary.written = report.written
            summary.failed = invalid + report.failed
            summary.resentUnprocessed = report.resentUnprocessed
            summary.retries = counters.retries
            summary.throttles = counters.throttles
            summary.seconds = Date().timeIntervalSince(started)
        } catch {
            log.endProgress()
            run.fail(error, rowsWritten: summary.written)
            throw ClickstreamError.wrapping(error, .sink, nil)
        }
        // Items still unwritten fail the run, but the summary is returned: the caller reports it, then throws
        // `summary.failure`.
        do {
            try run.finish(stats: IngestStats(), rowsWritten: summary.written, failure: summary.failure?.message)
        } catch {
            throw ClickstreamError.wrapping(error, .database, "database \(options.databasePath)")
        }
        return summary
    }

    /// The items to send, per table: counters whose `ttl` has passed are left out (and counted) unless
    /// `ttlFromNow` rewrites it; items over DynamoDB's limits are set apart as failed, naming the reason.
    func prepared(_ tables: [DynamoDBExportTable], _ items: [[DynamoDBItem]],
                  summary: inout DynamoDBExportSummary) -> ([[DynamoDBItem]], [DynamoDBClient.FailedWrite]) {
        var invalid: [DynamoDBClient.FailedWrite] = []
        let out = zip(tables, items).map { table, list -> [DynamoDBItem] in
            var kept: [DynamoDBItem] = []
            kept.reserveCapacity(list.count)
            for var item in list {
                if table.kind == .counters {
                    if options.ttlFromNow {
                        item["ttl"] = .n(String(options.nowSeconds + options.retentionSeconds))
                    } else if let ttl = item["ttl"]?.stringValue.flatMap(Int64.init), ttl <= options.nowSeconds {
                        summary.skippedExpired += 1
                        continue
                    }
                }
                if let problem = DynamoDBItemLimits.problem(item, table: table) {
                    invalid.append(.init(table: table.name, request: .put(item), reason: problem))
                    continue
                }
                kept.append(item)
            }
            return kept
        }
        return (out, invalid)
    }

    /// Round-robin over partition keys (in order of first appearance): consecutive writes go to different
    /// partitions, so no single partition key takes a burst (DynamoDB allows ~1,000 writes/s per key).
    static func interleaved(_ items: [DynamoDBItem], by hashKey: String) -> [DynamoDBItem] {
        var groups: [[DynamoDBItem]] = []
        var index: [String: Int] = [:]
        for item in items {
            let key = item[hashKey]?.stringValue ?? ""
            if let i = index[key] { groups[i].append(item) } else {
                index[key] = groups.count
                groups.append([item])
            }
        }
        var out: [DynamoDBItem] = []
        out.reserveCapacity(items.count)
        var round = 0
        while out.count < items.count {
            for g in groups where round < g.count { out.append(g[round]) }
            round += 1
        }
        return out
    }

    func makeClient() throws -> DynamoDBClient {
        do {
            let config = try AWSConfig.resolve(environment: options.environment)
            _ = try config.credentials.current()  // credentials nobody provides are a configuration error
            let transport = try AWSTransport(config: config, retryPolicy: options.retryPolicy,
                                             httpConfiguration: .init(maxCachedConnections: max(64, options.concurrency)))
            return DynamoDBClient(transport: transport)
        } catch {
            throw ClickstreamError(.configuration, "AWS configuration", "\(error)")
        }
    }

    /// Refuses to start unless every table exists with the key schema of docs/dynamodb.md.
    func checkTables(_ tables: [DynamoDBExportTable], client: DynamoDBClient) throws {
        let endpoint = client.transport.config.endpoint(for: .dynamodb)
        for table in tables {
            let description: DynamoDBTableDescription
            do {
                description = try client.describeTable(table.name)
            } catch let e as AWSError where e.code == "ResourceNotFoundException" {
                throw ClickstreamError(.configuration, nil, "DynamoDB table \(table.name) does not exist (region \(client.transport.config.region), endpoint \(endpoint)); "
                    + "check --table-prefix or create the table (key: \(Self.describe(table.keySchema)))")
            } catch {
                throw ClickstreamError.wrapping(error, .sink, "DynamoDB table \(table.name)")
            }
            guard description.keySchema == table.keySchema else {
                throw ClickstreamError(.configuration, nil, "DynamoDB table \(table.name) has key \(Self.describe(description.keySchema)); "
                    + "expected \(Self.describe(table.keySchema)) (docs/dynamodb.md); nothing was exported")
            }
        }
    }

    static func describe(_ schema: [DynamoDBKeySchemaElement]) -> String {
        schema.map { "\($0.keyType) \($0.attributeName) (\($0.attributeType))" }.joined(separator: ", ")
    }

    /// Every table's items in one read transaction, so the three agree with each other even while a replay commits.
    func readItems(_ tables: [DynamoDBExportTable]) throws -> [[DynamoDBItem]] {
        do {
            Database.configureLibrary()
            let database = try Database(path: options.databasePath, readOnly: true)
            database.setBusyTimeout(5_000)
            return try database.transaction {
                try tables.map { try $0.items(in: options.window, database: database, nowSeconds: options.nowSeconds) }
            }
        } catch {
            throw ClickstreamError.wrapping(error, .database, "database \(options.databasePath)")
        }
    }

    /// Tables with a range key: one Query per partition key of ours over the window's range keys returns both our
    /// items' current versions and the ones we do not have. Session metrics (hash key only): BatchGetItem by key.
    func diff(_ table: DynamoDBExportTable, ours: [DynamoDBItem], client: DynamoDBClient) throws -> DynamoDBTableDiff {
        var lastShown = Date.distantPast
        // A dry run over a large window reads for minutes: say how far it is, per table.
        func show(_ done: Int, of total: Int, _ unit: String, found: Int) {
            let now = Date()
            guard now.timeIntervalSince(lastShown) >= 0.5 || done == total else { return }
            lastShown = now
            let percent = total > 0 ? done * 100 / total : 100
            log.progress("dry run: \(table.name): \(done.grouped)/\(total.grouped) \(unit) read (\(percent)%), \(found.grouped) items found",
                         ["table": table.name, "done": done, "total": total, "percent": percent, "found": found])
        }
        do {
            if let range = table.rangeKey {
                let queries = table.rangeQueries(for: ours, window: options.window)
                let found = try client.queryConcurrently(table: table.name, queries: queries,
                                                         names: ["#h": table.hashKey, "#r": range], concurrency: options.concurrency) {
                    show($0, of: queries.count, "partition keys", found: $1)
                }
                return DynamoDBTableDiff.compute(table: table, ours: ours, theirs: found, extra: found, searchedAbsent: true)
            }
            let theirs = try client.getConcurrently(table: table.name, keys: ours.map(table.key(of:)),
                                                    concurrency: options.concurrency) { show($0, of: ours.count, "keys", found: $1) }
            return DynamoDBTableDiff.compute(table: table, ours: ours, theirs: theirs, extra: [], searchedAbsent: false)
        } catch {
            throw ClickstreamError.wrapping(error, .sink, "DynamoDB table \(table.name)")
        }
    }

    /// "N items could not be written after retries:" and up to 50 of them, by table and key.
    public static func failureMessage(_ failed: [DynamoDBClient.FailedWrite], tables: [DynamoDBExportTable]) -> String {
        var lines = ["\(failed.count) items could not be written after retries:"]
        for f in failed.prefix(50) {
            var key = f.table
            if case let .put(item) = f.request, let t = tables.first(where: { $0.name == f.table }) { key += " " + t.keyText(of: item) }
            lines.append("  \(key): \(f.reason)")
        }
        if failed.count > 50 { lines.append("  … and \(failed.count - 50) more") }
        return lines.joined(separator: "\n")
    }

}
