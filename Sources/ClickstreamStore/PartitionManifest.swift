/// What a partition's database says about itself (kept in `_meta`, written when its replay commits): which of how
/// many partitions it is, the whole window the partitions cut, the range it replayed and its sources. `merge`
/// reads it to refuse parts that cannot compose and to name the partitions that are missing.
public struct PartitionManifest: Equatable, Sendable {
    public var index: Int
    public var count: Int
    /// The whole window of the backfill (epoch milliseconds, half-open), the same in every part.
    public var window: Range<Int64>
    /// The range this part replayed.
    public var range: Range<Int64>
    /// The source URLs, in the order given.
    public var sources: [String]

    public init(index: Int, count: Int, window: Range<Int64>, range: Range<Int64>, sources: [String]) {
        self.index = index
        self.count = count
        self.window = window
        self.range = range
        self.sources = sources
    }

    /// Whether `other` is a partition of the same backfill (same window, count and sources), so the two compose.
    public func composes(with other: PartitionManifest) -> Bool {
        window == other.window && count == other.count && sources == other.sources
    }

    static let keys = ["partition.index", "partition.count", "partition.window_from", "partition.window_to",
                       "partition.from", "partition.to", "partition.sources"]

    var values: [String] {
        [String(index), String(count), String(window.lowerBound), String(window.upperBound),
         String(range.lowerBound), String(range.upperBound), sources.joined(separator: "\n")]
    }

    init?(values: [String: String]) {
        guard let i = values["partition.index"].flatMap({ Int($0) }), let n = values["partition.count"].flatMap({ Int($0) }),
              let wf = values["partition.window_from"].flatMap({ Int64($0) }), let wt = values["partition.window_to"].flatMap({ Int64($0) }),
              let f = values["partition.from"].flatMap({ Int64($0) }), let t = values["partition.to"].flatMap({ Int64($0) }),
              let s = values["partition.sources"], wf <= wt, f <= t else { return nil }
        self.init(index: i, count: n, window: wf..<wt, range: f..<t,
                  sources: s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }
}
