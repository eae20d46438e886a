import ClickstreamCore

/// `time_window` strings as UTF-8 bytes, formatted once per minute and reused (a run writes many rows per minute).
struct MinuteKeys {
    private var cache: [Int64: [UInt8]] = [:]

    mutating func key(_ minuteMs: Int64) -> [UInt8] {
        if let k = cache[minuteMs] { return k }
        let k = Array(Timestamp.minuteKey(minuteMs).utf8)
        cache[minuteMs] = k
        return k
    }
}
