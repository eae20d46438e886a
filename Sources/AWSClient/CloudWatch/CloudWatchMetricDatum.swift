import Foundation

/// One CloudWatch data point. Values are already one per metric, dimensions and minute (the tables aggregate
/// them), so no statistic sets are needed.
public struct CloudWatchMetricDatum: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case single(Double)
    }

    public var name: String
    public var dimensions: [String: String]
    /// Epoch milliseconds.
    public var timestamp: Int64
    public var value: Value
    /// `Count`, `Seconds`, `Milliseconds`, `Count/Second`, `None`.
    public var unit: String

    public init(name: String, dimensions: [String: String] = [:], timestamp: Int64, value: Value, unit: String) {
        self.name = name
        self.dimensions = dimensions
        self.timestamp = timestamp
        self.value = value
        self.unit = unit
    }

    /// Its query-protocol parameters under `prefix` (`MetricData.member.N`).
    func parameters(_ prefix: String) -> [(String, String)] {
        var out = [("\(prefix).MetricName", name), ("\(prefix).Timestamp", Self.iso(timestamp)), ("\(prefix).Unit", unit)]
        for (i, d) in dimensions.sorted(by: { $0.key < $1.key }).enumerated() {
            out += [("\(prefix).Dimensions.member.\(i + 1).Name", d.key), ("\(prefix).Dimensions.member.\(i + 1).Value", d.value)]
        }
        switch value {
        case let .single(v): out.append(("\(prefix).Value", Self.number(v)))
        }
        return out
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    /// `2025-07-03T05:01:00Z` (whole seconds: CloudWatch keeps no finer resolution for standard metrics).
    static func iso(_ ms: Int64) -> String {
        var t = time_t(ms / 1000)
        var tm = tm()
        gmtime_r(&t, &tm)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(tm.tm_year + 1900)-\(two(tm.tm_mon + 1))-\(two(tm.tm_mday))T\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec))Z"
    }
}
