import ArgumentParser
import ClickstreamPipeline

/// The half-open event-time window `[--from, --to)` of the commands that replay or export one. TIME values are
/// parsed unconditionally, so a relative time may follow its flag (`--from -6h`) instead of needing `--from=-6h`.
struct WindowOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Start of the window (inclusive), a TIME.")
    var from: String?

    @Option(parsing: .unconditional, help: "Same as --from -DURATION: the window starts DURATION ago (6h, 30m, 7d).")
    var since: String?

    @Option(parsing: .unconditional, help: "End of the window (exclusive), a TIME.")
    var to: String = "now"

    func validate() throws {
        if from != nil && since != nil { throw ValidationError("Give --from or --since, not both.") }
    }

    /// Both TIMEs against one reading of the clock. Resolved when the command runs, not in `validate()`, so a bad
    /// TIME is reported as `--from: invalid time …` (a `ClickstreamError`) rather than as a usage error, and so
    /// a mode that needs no window (`report --cloudwatch-dashboard`) needs no `--from`.
    func resolve() throws -> Range<Int64> {
        if from == nil && since == nil { throw ValidationError("Missing --from TIME (or --since DURATION).") }
        if let since {
            let duration = since.hasPrefix("-") ? since : "-" + since
            return try TimeArgument.window(from: duration, to: to, fromOption: "--since")
        }
        return try TimeArgument.window(from: from ?? "", to: to)
    }
}
