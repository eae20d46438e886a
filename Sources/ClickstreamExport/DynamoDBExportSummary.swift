import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import Foundation

/// What an export (or a dry run) did.
public struct DynamoDBExportSummary: Sendable {
    public var tablePrefix: String
    public var dryRun: Bool
    /// Items of the window per table name.
    public var itemsPerTable: [String: Int] = [:]
    public var written = 0
    public var failed: [DynamoDBClient.FailedWrite] = []
    public var resentUnprocessed = 0
    /// Counter items not written because their `ttl` has already passed (DynamoDB would delete them at once).
    public var skippedExpired = 0
    public var retries = 0
    public var throttles = 0
    public var seconds = 0.0
    /// Filled by a dry run, one per table.
    public var diffs: [DynamoDBTableDiff] = []

    public var totalItems: Int { itemsPerTable.values.reduce(0, +) }

    /// What an export that left items unwritten ends with (exit 1), listing them; nil when every item was written.
    /// The summary is still worth printing first: the other items stay written.
    public var failure: ClickstreamError? {
        guard !failed.isEmpty else { return nil }
        return ClickstreamError(.sink, nil, DynamoDBExport.failureMessage(failed, tables: DynamoDBExportTable.all(prefix: tablePrefix)))
    }
    public var itemsPerSecond: Double { seconds > 0 ? Double(written) / seconds : 0 }

    public var paragraph: String {
        let tables = itemsPerTable.keys.sorted().map { "\($0) \(itemsPerTable[$0]!)" }.joined(separator: ", ")
        let expired = skippedExpired > 0 ? " \(Plural.count(skippedExpired, "counter item")) skipped: their ttl has passed (--ttl-from-now writes them)." : ""
        if dryRun {
            return "Dry run: compared \(totalItems) items (\(tables)) in \(String(format: "%.2f", seconds)) s; nothing was written." + expired
        }
        var s = "Exported \(written) of \(totalItems) items (\(tables)) in \(String(format: "%.2f", seconds)) s, "
            + "\(Int(itemsPerSecond.rounded())) items/s; \(retries) retries, \(throttles) throttles, "
            + "\(resentUnprocessed) unprocessed items resent."
        if !failed.isEmpty { s += " \(failed.count) items could not be written." }
        return s + expired
    }
}
