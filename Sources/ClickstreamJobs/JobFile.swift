import ClickstreamCore
import ClickstreamPipeline
import Foundation
import SourceKinesis

/// A parsed, validated job file (`jobs/NAME.toml`): what `clickstream run` does, with every TIME already resolved
/// against `now`. Relative paths (sources, `db`, `output_dir`) are relative to the working directory, as on the
/// command line. See the shipped files in `jobs/` for the annotated format.
public struct JobFile: Sendable, Equatable {
    public enum Mode: String, Sendable { case replay, stream }

    public struct Export: Sendable, Equatable {
        public var tablePrefix: String
        public var dryRun: Bool
        public var concurrency: Int
        /// `max_write_rate`, `ttl_from_now`: as `export dynamodb`'s options.
        public var maxWriteRate: Double? = nil
        public var ttlFromNow = false
        public init(tablePrefix: String, dryRun: Bool, concurrency: Int) {
            self.tablePrefix = tablePrefix
            self.dryRun = dryRun
            self.concurrency = concurrency
        }
    }

    public struct Queries: Sendable, Equatable {
        /// Canned query names (`queries/*.sql`) or paths to `.sql` files.
        public var names: [String]
        /// Bound by name to every query that declares the parameter; overrides the automatic `day` and `hour`.
        public var params: [String: String]
        public var outputDirectory: String
        /// `csv`, `json` or `table`.
        public var format: String
        public init(names: [String], params: [String: String], outputDirectory: String, format: String) {
            self.names = names
            self.params = params
            self.outputDirectory = outputDirectory
            self.format = format
        }
    }

    public var path: String
    public var name: String
    public var mode: Mode
    public var databasePath: String
    public var sources: [SourceURL]
    /// Replay jobs: half-open, epoch milliseconds.
    public var window: Range<Int64>?
    public var rebuild: Bool
    /// `[window] min_events` and `allow_empty`: the replay's guard against an empty source (see `ReplayOptions`).
    public var minEvents = 0
    public var allowEmpty = false
    public var workers: Int
    public var concurrency: Int
    public var export: Export?
    public var queries: Queries?
    public var stream: StreamJobSpec?
    public var report: Report? = nil
    /// `[job] metrics = "cloudwatch"`: publish the replay's metrics after its commit.
    public var publishMetrics = false
    /// Line of each `table.key` in the file, for errors found after parsing (`JobCheck`).
    public var keyLines: [String: Int] = [:]

    /// Reads and validates `path`; `now` (epoch ms) resolves relative times (`yesterday`, `-24h`); strings expand
    /// `${VAR}` from `environment`; `CLICKSTREAM_DB` there is the database when `[job] db` is not set.
    public static func load(path: String, now: Int64,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> JobFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read as UTF-8 text" : "does not exist"
            throw JobFileError(path: path, line: nil, key: nil, message: reason)
        }
        return try parse(text, path: path, now: now, environment: environment)
    }

    public static func parse(_ text: String, path: String, now: Int64, environment: [String: String] = [:]) throws -> JobFile {
        let document: JobDocument
        do { document = try JobDocument(parsing: text) } catch let e as JobDocument.SyntaxError {
            throw JobFileError(path: path, line: e.line, key: nil, message: e.message)
        }
        let r = Reader(document: document, path: path, environment: environment)
        try r.allowTables(["job", "source", "window", "export", "queries", "queries.params", "stream", "report"])

        try r.allowKeys("job", ["name", "mode", "db", "metrics"])
        let name = try r.string("job", "name", required: true)!
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw r.error("job", "name", "must be a non-empty name of letters, digits, -, _ or . (it names the job in runs and logs)")
        }
        let modeText = try r.string("job", "mode") ?? "replay"
        guard let mode = Mode(rawValue: modeText) else { throw r.error("job", "mode", "must be \"replay\" or \"stream\", not \"\(modeText)\"") }
        let db = try r.string("job", "db") ?? DefaultDatabase.path(environment: environment)
        if db.isEmpty { throw r.error("job", "db", "must not be empty") }
        let metrics = try r.string("job", "metrics")
        if let metrics, metrics != "cloudwatch" { throw r.error("job", "metrics", "must be \"cloudwatch\" (or left out), not \"\(metrics)\"") }

        try r.allowKeys("source", ["urls", "workers", "concurrency"])
        let urlTexts = try r.stringArray("source", "urls", required: true)!
        if urlTexts.isEmpty { throw r.error("source", "urls", "needs at least one source URL") }
        var sources: [SourceURL] = []
        for u in urlTexts {
            do { sources.append(try SourceURL(parsing: u)) } catch { throw r.error("source", "urls", "\(error)") }
        }
        let workers = try r.integer("source", "workers", range: 0...256) ?? 0
        let concurrency = try r.integer("source", "concurrency", range: 1...512) ?? 32

        var job = JobFile(path: path, name: name, mode: mode, databasePath: db, sources: sources, window: nil, rebuild: false,
                          workers: workers, concurrency: concurrency, export: nil, queries: nil, stream: nil)
        job.publishMetrics = metrics != nil
        job.keyLines = document.lines.all
        switch mode {
        case .stream:
            for t in ["window", "export", "queries", "queries.params", "report"] where r.has(t) {
                throw JobFileError(path: path, line: document.lines.table(of: t), key: nil,
                                   message: "[\(t)] is not used by mode = \"stream\"; remove it")
            }
            guard sources.count == 1, case let .kinesis(streamName) = sources[0] else {
                throw r.error("source", "urls", "a stream job reads exactly one kinesis://stream-name")
            }
            try r.allowKeys("stream", ["start", "alert_command", "alert_sns_topic", "status_interval", "json_log"])
            let startText = try r.string("stream", "start") ?? "latest"
            let start: StreamJobSpec.Start
            do { start = try StreamStart(parsing: startText, now: now) } catch {
                throw r.error("stream", "start", "must be latest, trim-horizon or a TIME: \(error)")
            }
            let alert = try r.string("stream", "alert_command")
            if alert?.isEmpty == true { throw r.error("stream", "alert_command", "must not be empty (leave it out for no alerts)") }
            let interval = try r.number("stream", "status_interval") ?? 10
            if !(interval >= 0) { throw r.error("stream", "status_interval", "must be 0 (none) or a number of seconds") }
            let topic = try r.string("stream", "alert_sns_topic")
            if let topic, !topic.hasPrefix("arn:") { throw r.error("stream", "alert_sns_topic", "must be an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)") }
            job.stream = StreamJobSpec(jobName: name, stream: streamName, start: start, databasePath: db, alertCommand: alert,
                                       statusInterval: interval, jsonLog: try r.bool("stream", "json_log") ?? false)
            job.stream?.alertTopicArn = topic
            job.stream?.publishMetrics = metrics != nil
        case .replay:
            if r.has("stream") {
                throw JobFileError(path: path, line: document.lines.table(of: "stream"), key: nil,
                                   message: "[stream] is only used by mode = \"stream\"; remove it")
            }
            try r.allowKeys("window", ["from", "to", "rebuild", "min_events", "allow_empty"])
            let from = try r.time("window", "from", required: true, now: now)!
            let to = try r.time("window", "to", required: false, now: now) ?? now
            guard from < to else {
                throw r.error("window", document.table("window")?["to"] != nil ? "to" : "from",
                              "the window is empty: from (\(Timestamp.instant(from))) must be before to (\(Timestamp.instant(to)))")
            }
            job.window = from..<to
            job.rebuild = try r.bool("window", "rebuild") ?? false
            job.minEvents = try r.integer("window", "min_events", range: 0...Int.max) ?? 0
            job.allowEmpty = try r.bool("window", "allow_empty") ?? false

            if r.has("export") {
                try r.allowKeys("export", ["enabled", "table_prefix", "dry_run", "concurrency", "max_write_rate", "ttl_from_now"])
                if try r.bool("export", "enabled") ?? true {
                    let prefix = try r.string("export", "table_prefix", required: true)!
                    guard !prefix.isEmpty, prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                        throw r.error("export", "table_prefix", "must be letters, digits, -, _ or . (DynamoDB table name characters)")
                    }
                    job.export = Export(tablePrefix: prefix, dryRun: try r.bool("export", "dry_run") ?? false,
                                        concurrency: try r.integer("export", "concurrency", range: 1...256) ?? 16)
                    if let rate = try r.number("export", "max_write_rate") {
                        if !(rate > 0) { throw r.error("export", "max_write_rate", "must be a positive number of items per second") }
                        job.export?.maxWriteRate = rate
                    }
                    job.export?.ttlFromNow = try r.bool("export", "ttl_from_now") ?? false
                }
            }
            if r.has("queries") {
                try r.allowKeys("queries", ["names", "output_dir", "format"])
                let names = try r.stringArray("queries", "names", required: true)!
                if names.isEmpty { throw r.error("queries", "names", "needs at least one query name (or remove [queries])") }
                let format = try r.string("queries", "format") ?? "csv"
                guard ["csv", "json", "table"].contains(format) else {
                    throw r.error("queries", "format", "must be \"csv\", \"json\" or \"table\", not \"\(format)\"")
                }
                let dir = try r.string("queries", "output_dir", required: true)!
                if dir.isEmpty { throw r.error("queries", "output_dir", "must not be empty") }
                var params: [String: String] = [:]
                for key in document.keys(of: "queries.params") {
                    let v = document.table("queries.params")![key]!
                    switch v.type {
                    case .string: params[key] = try r.string("queries.params", key)
                    case .int: params[key] = String(v.int!)
                    default: throw r.error("queries.params", key, "must be a string or an integer, not \(Reader.describe(v))")
                    }
                }
                job.queries = Queries(names: names, params: params, outputDirectory: dir, format: format)
            }
            job.report = try parseReport(r, present: r.has("report"))
        }
        return job
    }
}
