import AWSClient
import ClickstreamCore
import ClickstreamExport
import ClickstreamPipeline
import ClickstreamQueries
import ClickstreamReport
import ClickstreamRuns
import Foundation
import SourceKinesis

/// Runs a job file's steps in order — replay the window, run the queries, export to DynamoDB — stopping at the
/// first step that fails (its `ClickstreamError` is rethrown, naming the job and the step, with its exit code).
///
/// Cron safety comes from the steps: the replay holds the store's writer lock (a second run on the same database
/// exits 2 at once with "database … is in use by another clickstream process (pid …, run jobs/…)"), commits in one
/// transaction (a failed run changes no table and is safe to re-run) and is recorded in `runs`, as is the export.
/// Stream jobs run the live consumer (`LiveStream`) until SIGINT/SIGTERM.
public final class JobRunner {
    public let job: JobFile
    let log: Log
    /// Environment for AWS settings (export).
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    /// `last_updated` of exported page-metrics items (epoch seconds); default: the clock at export time.
    public var exportNowSeconds: Int64?
    /// Overrides `DynamoDBExportOptions.retryPolicy` (tests use short backoffs).
    public var exportRetryPolicy: RetryPolicy?
    /// Folder of canned queries; nil: `QueryCatalog.locate()`.
    public var queriesDirectory: String?

    /// Consumes a `mode = "stream"` job's stream in place of `LiveStream`; nil runs `LiveStream`. Handed in at
    /// init, so a test that replaces the consumer changes only its own runner.
    let startStream: ((StreamJobSpec) throws -> Void)?

    public init(job: JobFile, log: Log, startStream: ((StreamJobSpec) throws -> Void)? = nil) {
        self.job = job
        self.log = log
        self.startStream = startStream
    }

    /// What a replay job did, step by step.
    public struct Summary: Sendable {
        public var replay: ReplaySummary?
        /// Files written by the queries step, with their row counts.
        public var queryOutputs: [(path: String, rows: Int)] = []
        public var export: DynamoDBExportSummary?
        public var report: ReportWriter.Outcome?
    }

    public func run() throws -> Summary {
        // Every name, parameter, path and source is checked before the first step touches anything.
        let check = JobCheck(job: job, queriesDirectory: queriesDirectory, requireSources: false)
        let planned: [JobCheck.PlannedQuery]
        do {
            try check.run()
            planned = try check.queries()
        } catch let e as JobFileError {
            throw ClickstreamError(.usage, nil, e.description)
        }
        if job.mode == .stream {
            guard let spec = job.stream else { preconditionFailure("a stream job always has a stream spec") }
            if let start = startStream {
                try start(spec)
            } else {
                try LiveStream(options: spec.streamOptions(jsonLog: log.json), log: log, environment: environment).run()
            }
            return Summary()
        }
        var summary = Summary()
        let command = "run \(job.path)"
        let window = job.window!
        log.info("job \(job.name): replay \(job.sources.map(\.description).joined(separator: " ")) "
            + "[\(Timestamp.instant(window.lowerBound)), \(Timestamp.instant(window.upperBound)))" + (job.rebuild ? " with rebuild" : ""),
            ["job": job.name, "sources": job.sources.map(\.description), "from": Timestamp.instant(window.lowerBound),
             "to": Timestamp.instant(window.upperBound), "rebuild": job.rebuild], event: "job_replay")
        var options = ReplayOptions(sources: job.sources, window: window, rebuild: job.rebuild, databasePath: job.databasePath,
                                    workers: job.workers, concurrency: job.concurrency, progress: log.showProgress,
                                    jsonLog: log.json, commandName: command)
        options.minEvents = job.minEvents
        options.allowEmpty = job.allowEmpty
        let publisher = job.publishMetrics ? try CloudWatchMetrics(environment: environment) : nil
        summary.replay = try step("replay") { try Replay(options: options, log: log).run() }
        if let publisher, let replay = summary.replay {
            let report = try step("metrics") { try publisher.publish(replay, command: "run \(job.name)") }
            log.info(CloudWatchMetrics.line(report), report.fields, event: "metrics_published")
        }
        if let queries = job.queries {
            summary.queryOutputs = try step("queries") { try runQueries(queries, planned, window: window) }
        }
        if let report = job.report { summary.report = try step("report") { try writeReport(report, window: window) } }
        if let export = job.export {
            var exportOptions = DynamoDBExportOptions(tablePrefix: export.tablePrefix, window: window, databasePath: job.databasePath,
                                                      dryRun: export.dryRun, concurrency: export.concurrency,
                                                      environment: environment, commandName: "export dynamodb (\(command))")
            exportOptions.maxWriteRate = export.maxWriteRate
            exportOptions.ttlFromNow = export.ttlFromNow
            if let exportNowSeconds { exportOptions.nowSeconds = exportNowSeconds }
            if let exportRetryPolicy { exportOptions.retryPolicy = exportRetryPolicy }
            let result = try step("export") { try DynamoDBExport(options: exportOptions, log: log).run() }
            summary.export = result
            if let failure = result.failure { throw failure.within("job \(job.name): export") }
        }
        return summary
    }

    func step<T>(_ name: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ClickstreamError {
            throw e.within("job \(job.name): \(name)")
        } catch {
            throw ClickstreamError(.sink, "job \(job.name): \(name)", "\(error)")
        }
    }

    /// Each query to `<output_dir>/<name>-<day of the window start>.<format>`, with the arguments `JobCheck`
    /// resolved (`[queries.params]`, else the automatic `day` and `hour` of the window's start).
    func runQueries(_ q: JobFile.Queries, _ planned: [JobCheck.PlannedQuery], window: Range<Int64>) throws -> [(path: String, rows: Int)] {
        let day = String(Timestamp.hourKey(window.lowerBound).prefix(10))
        let format: OutputFormat
        do { format = try OutputFormat(parsing: q.format) } catch { throw ClickstreamError.wrapping(error, .usage, nil) }
        try FileManager.default.createDirectory(atPath: q.outputDirectory, withIntermediateDirectories: true)
        let runner: QueryRunner
        do { runner = try QueryRunner(path: job.databasePath) } catch { throw ClickstreamError.wrapping(error, .database, "database \(job.databasePath)") }
        var outputs: [(String, Int)] = []
        for p in planned {
            let query = p.query
            let result: QueryResult
            do { result = try runner.run(query, arguments: p.arguments) } catch let e as QueryError {
                throw ClickstreamError(.sink, "query \(query.name)", e.description)
            }
            let file = (q.outputDirectory as NSString).appendingPathComponent("\(query.name)-\(day).\(q.format == "table" ? "txt" : q.format)")
            do {
                try Data(ResultFormatter.format(result, as: format).utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
            } catch {
                throw ClickstreamError(.sink, "cannot write \(file)", error.localizedDescription)
            }
            log.info("job \(job.name): query \(query.name) -> \(file) (\(Plural.count(result.rows.count, "row")))",
                     ["query": query.name, "file": file, "rows": result.rows.count], event: "query_written")
            outputs.append((file, result.rows.count))
        }
        return outputs
    }
}
