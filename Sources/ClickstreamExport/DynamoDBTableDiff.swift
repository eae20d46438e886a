import AWSClient

/// What an export would do to one table, found by a dry run: every item it would insert or change, and the items
/// DynamoDB holds in the window that our result does not have (which an export leaves alone).
public struct DynamoDBTableDiff: Sendable {
    public struct Change: Sendable, Equatable {
        /// `page_url=/cart timestamp_hour=2025-07-03T05`
        public var key: String
        public var hour: String
        /// Attributes whose values differ (missing on either side included), sorted.
        public var attributes: [String]
        /// Our count minus theirs (`view_count` or `event_count`); 0 when the counts agree.
        public var countDifference: Int64
        public var ours: DynamoDBItem
        public var theirs: DynamoDBItem
    }

    public struct HourCounts: Sendable, Equatable {
        public var insert = 0
        public var change = 0
        public var unchanged = 0
        public var absentFromOurs = 0
        public init(insert: Int = 0, change: Int = 0, unchanged: Int = 0, absentFromOurs: Int = 0) {
            self.insert = insert
            self.change = change
            self.unchanged = unchanged
            self.absentFromOurs = absentFromOurs
        }
    }

    public var table: String
    /// Keys we would insert, in our order.
    public var inserts: [String] = []
    public var changes: [Change] = []
    /// Keys present in DynamoDB within the window but absent from our result.
    public var absentFromOurs: [String] = []
    public var unchanged = 0
    /// Per UTC hour (`YYYY-MM-DDTHH`).
    public var hours: [String: HourCounts] = [:]
    /// Whether `absentFromOurs` could be searched at all (not for session metrics: no time-ordered key).
    public var searchedAbsent: Bool

    static func compute(table: DynamoDBExportTable, ours: [DynamoDBItem], theirs: [DynamoDBItem],
                        extra: [DynamoDBItem], searchedAbsent: Bool) -> DynamoDBTableDiff {
        var diff = DynamoDBTableDiff(table: table.name, searchedAbsent: searchedAbsent)
        var theirsByKey: [String: DynamoDBItem] = [:]
        for item in theirs { theirsByKey[table.keyText(of: item)] = item }
        var ourKeys = Set<String>()
        for item in ours {
            let key = table.keyText(of: item)
            ourKeys.insert(key)
            let hour = table.hour(of: item)
            guard let existing = theirsByKey[key] else {
                diff.inserts.append(key)
                diff.hours[hour, default: .init()].insert += 1
                continue
            }
            let names = Set(item.keys).union(existing.keys).subtracting(DynamoDBExportTable.ignoredInDiff)
            let differing = names.filter { item[$0] != existing[$0] }.sorted()
            if differing.isEmpty {
                diff.unchanged += 1
                diff.hours[hour, default: .init()].unchanged += 1
            } else {
                let count = { (i: DynamoDBItem) in Int64(i[table.countAttribute]?.stringValue ?? "") ?? 0 }
                diff.changes.append(Change(key: key, hour: hour, attributes: differing,
                                           countDifference: count(item) - count(existing), ours: item, theirs: existing))
                diff.hours[hour, default: .init()].change += 1
            }
        }
        var seenExtra = Set<String>()
        for item in extra {
            let key = table.keyText(of: item)
            guard !ourKeys.contains(key), seenExtra.insert(key).inserted else { continue }
            diff.absentFromOurs.append(key)
            diff.hours[table.hour(of: item), default: .init()].absentFromOurs += 1
        }
        return diff
    }

    /// The changes with the largest count differences first (ties by key).
    public func largestChanges(_ n: Int) -> [Change] {
        Array(changes.sorted {
            abs($0.countDifference) != abs($1.countDifference) ? abs($0.countDifference) > abs($1.countDifference) : $0.key < $1.key
        }.prefix(n))
    }

    /// The report for people: per hour, then the largest changes and a sample of absent keys.
    public func report(largest: Int = 10) -> String {
        var lines = ["\(table): would insert \(inserts.count), change \(changes.count), leave \(unchanged) unchanged; "
            + (searchedAbsent ? "\(absentFromOurs.count) in DynamoDB but absent from our result"
                              : "items absent from our result not searched (no time-ordered key; would need a Scan)")]
        if !hours.isEmpty {
            lines.append("  hour            insert  change  unchanged  absent")
            for hour in hours.keys.sorted() {
                let h = hours[hour]!
                lines.append("  " + [hour.padding(toLength: 14, withPad: " ", startingAt: 0), pad(h.insert, 6), pad(h.change, 6),
                                     pad(h.unchanged, 9), pad(h.absentFromOurs, 6)].joined(separator: "  "))
            }
        }
        for c in largestChanges(largest) {
            let detail = c.attributes.map { "\($0) \(c.theirs[$0]?.stringValue ?? "absent") -> \(c.ours[$0]?.stringValue ?? "absent")" }
            lines.append("  change \(c.key): " + detail.joined(separator: ", "))
        }
        if changes.count > largest { lines.append("  … and \(changes.count - largest) more changes") }
        for key in absentFromOurs.prefix(largest) { lines.append("  absent from our result: \(key)") }
        if absentFromOurs.count > largest { lines.append("  … and \(absentFromOurs.count - largest) more absent") }
        return lines.joined(separator: "\n")
    }

    private func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: " ", count: max(0, width - s.count)) + s
    }
}
