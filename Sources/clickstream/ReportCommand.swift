import ArgumentParser
import AWSClient
import ClickstreamRuns
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

    @Option(name: .customLong("cloudwatch-dashboard"),
            help: ArgumentHelp("Instead of the HTML: print the body of a CloudWatch dashboard NAME showing the pipeline's and this tool's metrics.",
                               valueName: "name"))
    var dashboard: String?

    @Flag(help: "With --cloudwatch-dashboard: create or replace the dashboard (PutDashboard) instead of printing it.")
    var put = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if out.isEmpty { throw ValidationError("--out must name a file.") }
        if put && dashboard == nil { throw ValidationError("--put needs --cloudwatch-dashboard NAME.") }
        if dashboard?.isEmpty == true { throw ValidationError("--cloudwatch-dashboard needs a name.") }
    }

    func run() throws {
        if let dashboard { return try writeDashboard(dashboard) }
        let window = try self.window.resolve()
        let outcome = try ReportWriter(databasePath: store.db, window: window, outputPath: out, queriesDirectory: queriesDir).write()
        let log = store.makeLog()
        let line = "wrote \(outcome.path): \(outcome.bytes) bytes, \(outcome.charts) charts, \(outcome.events) events, \(outcome.anomalies) anomalies"
        try Console.summary("report_written", line, ["report": outcome.path, "bytes": outcome.bytes, "charts": outcome.charts,
                                                      "events": outcome.events, "anomalies": outcome.anomalies], log: log)
    }

    /// The dashboard needs no window and no database: only the region (for its widgets) and, with --put, AWS.
    func writeDashboard(_ name: String) throws {
        let log = store.makeLog()
        let config: AWSConfig
        do { config = try AWSConfig.resolve() } catch { throw ClickstreamError(.configuration, "--cloudwatch-dashboard", "\(error)") }
        let body = CloudWatchDashboard.body(region: config.region)
        guard put else { return try Console.out(body) }
        do {
            try CloudWatchClient(transport: try AWSTransport(config: config)).putDashboard(name: name, body: body)
        } catch {
            throw ClickstreamError.wrapping(error, .sink, "CloudWatch dashboard \(name)")
        }
        try Console.summary("dashboard_put", "dashboard \(name) created or replaced in \(config.region)", ["dashboard": name, "region": config.region], log: log)
    }
}
