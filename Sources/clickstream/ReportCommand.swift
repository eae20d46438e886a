import ArgumentParser
import ClickstreamPipeline
import ClickstreamReport
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report (charts and tables) of a window from the results database.",
        discussion: """
        One HTML file with inline SVG charts and no network access: events per minute by type, page views and \
        events per hour, top pages, the funnel, bounce rate, sessions, anomalies, quarantine, the runs and the \
        source lineage. Every number is a canned query's (clickstream query --list) for the same day or hour.
        """)

    @OptionGroup var window: WindowOptions

    @Option(help: "The HTML file to write.")
    var out: String = "report.html"

    @Option(name: .customLong("queries-dir"), help: "Folder of canned queries (default: as for `clickstream query`).")
    var queriesDir: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if out.isEmpty { throw ValidationError("--out must name a file.") }
    }

    func run() throws {
        let window = try self.window.resolve()
        let outcome = try ReportWriter(databasePath: store.db, window: window, outputPath: out, queriesDirectory: queriesDir).write()
        let log = store.makeLog()
        let line = "wrote \(outcome.path): \(outcome.bytes) bytes, \(outcome.charts) charts, \(outcome.events) events, \(outcome.anomalies) anomalies"
        try Console.summary("report_written", line, ["report": outcome.path, "bytes": outcome.bytes, "charts": outcome.charts,
                                                      "events": outcome.events, "anomalies": outcome.anomalies], log: log)
    }
}
