import ArgumentParser
import ClickstreamPipeline
import Foundation

/// How a command talks: `--log-format`, `-q`, `--progress`, `--color`. Shared by the store's commands (through
/// `StoreOptions`) and `run` (whose job file names the database).
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "text (for people) or json (one object per line on stderr, summaries as one JSON object on stdout).")
    var logFormat: LogFormat = .text

    @Flag(name: [.short, .long], help: "Print nothing on success (for cron); warnings and errors still go to stderr.")
    var quiet = false

    @Flag(inversion: .prefixedNo, help: "Progress lines on stderr (default: only when stderr is a terminal).")
    var progress: Bool?

    @Option(help: "Colour in messages: auto (a terminal without NO_COLOR), always or never.")
    var color: ColorMode = .auto

    enum LogFormat: String, ExpressibleByArgument, CaseIterable { case text, json }
    enum ColorMode: String, ExpressibleByArgument, CaseIterable { case auto, always, never }

    func makeLog() -> Log {
        Log(json: logFormat == .json, showProgress: progress, quiet: quiet,
            color: color == .auto ? nil : color == .always)
    }

    /// Whether the command line asks for JSON, read before parsing: an error the parser itself reports (a bad
    /// flag) must come out in the format the caller asked for.
    static func jsonRequested(_ arguments: [String]) -> Bool {
        for (i, a) in arguments.enumerated() {
            if a == "--log-format=json" { return true }
            if a == "--log-format", i + 1 < arguments.count, arguments[i + 1] == "json" { return true }
        }
        return false
    }
}
