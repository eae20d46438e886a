import ArgumentParser
import ClickstreamJobs
import ClickstreamPipeline
import ClickstreamRuns

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a job file (jobs/NAME.toml): replay a window, run queries, export to DynamoDB — or start a stream.",
        discussion: """
        The job file names its sources, window (absolute or relative: yesterday, today, -24h), database, and optional \
        queries and export; see the commented files in jobs/. Relative times are resolved against --now (default: \
        the clock), which makes a job reproducible. Safe under cron: a second run on the same database exits 2 at \
        once while one is running; a failed run changes nothing and can simply be run again. Exit 1 when a step fails.
        """)

    @Argument(help: "The job file, e.g. jobs/nightly-reaggregate.toml.")
    var jobFile: String

    @Option(help: "Resolve the job's relative times (yesterday, -24h) as if it were this TIME.")
    var now: String?

    @OptionGroup var logging: LogOptions

    func run() throws {
        let clock = Clock.nowMs()
        let nowMs = try now.map { try TimeArgument.parse($0, option: "--now", now: clock) } ?? clock
        let job: JobFile
        do { job = try JobFile.load(path: jobFile, now: nowMs) } catch let e as JobFileError {
            throw ClickstreamError(.usage, nil, e.description)
        }
        let log = logging.makeLog()
        let summary = try JobRunner(job: job, log: log).run()
        if let replay = summary.replay {
            if log.json { log.info(replay.paragraph, replay.jsonFields) } else { print(replay.paragraph) }
        }
        if let export = summary.export { ExportDynamoDBCommand.printSummary(export, log: log) }
    }
}
