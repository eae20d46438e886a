import ClickstreamCore

/// Ticks for an event-time axis over a window: a round step (5 minutes to a day) giving at most `maxTicks` ticks,
/// labelled `HH:MM`, with the date (`MM-DD HH:MM`) at midnight or when the window spans several days.
struct TimeAxis {
    let window: Range<Int64>
    let ticks: [(ms: Int64, label: String)]

    init(window: Range<Int64>, maxTicks: Int = 8) {
        self.window = window
        let span = window.upperBound - window.lowerBound
        let minute: Int64 = 60_000
        let steps: [Int64] = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map { $0 * minute }
        let step = steps.first { span / $0 <= Int64(maxTicks) } ?? steps.last!
        let multiDay = span > 86_400_000
        var t = (window.lowerBound + step - 1).floorDiv(step) * step
        var out: [(Int64, String)] = []
        while t < window.upperBound {
            let key = Timestamp.minuteKey(t) // YYYY-MM-DDTHH:MM
            let time = String(key.suffix(5))
            let date = String(key.dropFirst(5).prefix(5))
            out.append((t, multiDay || time == "00:00" ? "\(date) \(time)" : time))
            t += step
        }
        ticks = out
    }

    /// Where `ms` falls, from 0 (window start) to 1 (window end).
    func fraction(_ ms: Int64) -> Double {
        Double(ms - window.lowerBound) / Double(max(1, window.upperBound - window.lowerBound))
    }
}
