/// One of COUNT contiguous ranges of whole hours that a window is cut into (`--partition INDEX/COUNT`), so that
/// COUNT machines can each replay one range and `merge` can combine their databases exactly: a partition boundary
/// is always on an hour, so no hour — and no minute — is ever split between two partitions, and every stored
/// hour (its fingerprint set, its per-(session, hour) partials) belongs to exactly one part.
public struct WindowPartition: Equatable, Sendable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws(WindowPartitionError) {
        guard count >= 1 else { throw .badCount("\(count)") }
        guard index >= 0 && index < count else { throw .indexOutOfRange(index: index, count: count) }
        self.index = index
        self.count = count
    }

    /// `INDEX/COUNT` as written on the command line (`3/8`: the fourth of eight, indexes start at 0).
    public init(parsing text: String) throws(WindowPartitionError) {
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count == 2, let i = Int(pieces[0]), let n = Int(pieces[1]) else { throw .badSyntax(text) }
        try self.init(index: i, count: n)
    }

    /// `INDEX/COUNT`.
    public var description: String { "\(index)/\(count)" }

    /// The whole hours `window` touches (hour indexes): the first hour holding `from` to the hour holding the last
    /// instant before `to`.
    public static func hours(of window: Range<Int64>) -> Range<Int64> {
        let lo = window.lowerBound.floorDiv(3_600_000)
        let hi = window.isEmpty ? lo : (window.upperBound - 1).floorDiv(3_600_000) + 1
        return lo..<hi
    }

    /// This partition's hours: the window's hours cut into `count` contiguous ranges whose lengths differ by at
    /// most one hour (the first `hours % count` ranges get the extra hour). Empty when there are fewer hours than
    /// partitions and this index gets none — callers refuse that (`check(window:)`).
    public func hourRange(of window: Range<Int64>) -> Range<Int64> {
        let all = Self.hours(of: window)
        let n = Int64(all.count), k = Int64(count), i = Int64(index)
        let base = n / k, extra = n % k
        let start = all.lowerBound + i * base + min(i, extra)
        let length = base + (i < extra ? 1 : 0)
        return start..<(start + length)
    }

    /// The part of `window` this partition replays, in epoch milliseconds: its hours, cut to the window at both
    /// ends (the first and last partitions keep the window's own `from` and `to`).
    public func window(of window: Range<Int64>) -> Range<Int64> {
        let h = hourRange(of: window)
        let lo = max(window.lowerBound, h.lowerBound * 3_600_000)
        let hi = min(window.upperBound, h.upperBound * 3_600_000)
        return lo..<max(lo, hi)
    }

    /// Refuses a partition that would get no hour of `window`.
    public func check(window: Range<Int64>) throws(WindowPartitionError) {
        let hours = Self.hours(of: window).count
        if count > hours { throw .moreThanHours(count: count, hours: hours) }
    }
}

/// Why a `--partition` value cannot be used.
public enum WindowPartitionError: Error, Equatable, Sendable, CustomStringConvertible {
    case badSyntax(String)
    case badCount(String)
    case indexOutOfRange(index: Int, count: Int)
    case moreThanHours(count: Int, hours: Int)

    public var description: String {
        switch self {
        case let .badSyntax(text): return "--partition must be INDEX/COUNT (like 3/8) or auto, not '\(text)'"
        case let .badCount(text): return "--partition COUNT must be 1 or more, not \(text)"
        case let .indexOutOfRange(i, n): return "--partition INDEX must be between 0 and \(n - 1) for COUNT \(n), not \(i)"
        case let .moreThanHours(n, hours):
            return "--partition COUNT \(n) is more than the window's \(hours) whole hours: a partition is at least one hour, use COUNT <= \(hours)"
        }
    }
}
