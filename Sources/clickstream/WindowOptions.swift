import ArgumentParser

/// The half-open event-time window `[--from, --to)` of the commands that replay or export one.
struct WindowOptions: ParsableArguments {
    @Option(help: "Start of the window (inclusive), a TIME.")
    var from: String

    @Option(help: "End of the window (exclusive), a TIME.")
    var to: String = "now"

    /// Both TIMEs against one reading of the clock. Resolved when the command runs, not in `validate()`, so a bad
    /// TIME is reported as `--from: invalid time …` (a `ClickstreamError`) rather than as a usage error.
    func resolve() throws -> Range<Int64> { try TimeArgument.window(from: from, to: to) }
}
