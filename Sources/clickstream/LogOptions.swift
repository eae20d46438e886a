import ArgumentParser
import ClickstreamPipeline

/// `--log-format`, shared by the store's commands (through `StoreOptions`) and `run` (whose job file names the
/// database).
struct LogOptions: ParsableArguments {
    @Option(name: .customLong("log-format"), help: "text (for people) or json (one object per line, for machines).")
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func makeLog() -> Log { Log(json: logFormat == .json) }
}
