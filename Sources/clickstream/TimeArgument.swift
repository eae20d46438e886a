import ClickstreamCore
import ClickstreamPipeline

/// Parses a TIME option (docs/cli.md), naming the option in the error.
enum TimeArgument {
    static func parse(_ text: String, option: String, now: Int64 = Clock.nowMs()) throws -> Int64 {
        do {
            return try TimeExpression.parse(text, now: now)
        } catch {
            throw ClickstreamError(.usage, option, "\(error)")
        }
    }

    static func window(from: String, to: String, fromOption: String = "--from") throws -> Range<Int64> {
        let now = Clock.nowMs()
        let lo = try parse(from, option: fromOption, now: now)
        let hi = try parse(to, option: "--to", now: now)
        guard lo < hi else {
            throw ClickstreamError(.usage, nil, "\(fromOption) (\(Timestamp.instant(lo))) must be before --to (\(Timestamp.instant(hi)))")
        }
        return lo..<hi
    }
}
