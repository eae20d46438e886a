import ArgumentParser
import ClickstreamJobs
import ClickstreamPipeline
import ClickstreamRuns

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a job file (jobs/NAME.toml): replay a window, run queries, export to DynamoDB — or start a stream.",
        discussion: """
        The job file (TOML) names its sources, window (absolute or relative: yesterday, today, -24h), database, and \
        optional queries and export; see the commented files in jobs/ and docs/jobs.md. Strings may use ${VAR} and \
        ${VAR:-default} from the environment. Relative times are resolved against --now (default: the clock), \
        which makes a job reproducible. Every query name, parameter, path and source is checked before the first \
        step runs; --check does only that and prints what the job would do. Safe under cron: a second run on the \
        same database exits 2 at once while one is running; a failed run changes nothing and can simply be run \
        again. Exit 1 when a step fails, 2 when the job file is wrong.
        """)

    @Argument(help: "The job file, e.g. jobs/nightly-reaggregate.toml.", completion: .file(extensions: ["toml"]))
    var jobFile: String

    @Option(parsing: .unconditional, help: "Resolve the job's relative times (yesterday, -24h) as if it were this TIME.")
    var now: String?

    @Flag(help: "Check the job file (keys, types, queries and their parameters, paths, sources, times), print what it would do, and run nothing.")
    var check = false

    @OptionGroup var logging: LogOptions

    func run() throws {
        let clock = Clock.nowMs()
        let nowMs = try now.map { try TimeArgument.parse($0, option: "--now", now: clock) } ?? clock
        let job: JobFile
        do { job = try JobFile.load(path: jobFile, now: nowMs) } catch let e as JobFileError {
            throw ClickstreamError(.usage, nil, e.description)
        }
        let log = logging.makeLog()
        if check {
            let report: [String]
            do { report = try JobCheck(job: job).run() } catch let e as JobFileError { throw ClickstreamError(.usage, nil, e.description) }
            try Console.summary("job_check", report.joined(separator: "\n") + "\nOK: nothing was run.", ["job": job.name, "ok": true], log: log)
            return
        }
        let summary = try JobRunner(job: job, log: log).run()
        if let replay = summary.replay {
            try Console.summary("replay_summary", replay.paragraph, replay.jsonFields, log: log)
        }
        if let export = summary.export { try ExportDynamoDBCommand.printSummary(export, log: log) }
    }
}
