import ClickstreamCore
import ClickstreamPipeline
import ClickstreamQueries
import Foundation
import SourceLocal

/// Everything about a job that can be known without running it — each query name and parameter (by the query's
/// declared parameters and their kinds), each path and local source, the resolved window — checked before any
/// step runs, so that a typo fails in a second with the file, line and key instead of after an hour's rebuild.
/// `clickstream run --check` prints the report and touches nothing.
public struct JobCheck {
    public let job: JobFile
    let catalog: QueryCatalog
    /// A local source that does not exist fails the check (`run --check`); before a real run it is left to the
    /// replay, where a missing archive is a failed source (exit 1: the mount went away) rather than a bad file.
    let requireSources: Bool

    public init(job: JobFile, queriesDirectory: String? = nil, requireSources: Bool = true) {
        self.job = job
        catalog = QueryCatalog.locate(explicit: queriesDirectory)
        self.requireSources = requireSources
    }

    /// The resolved queries, in job order, with the arguments each gets.
    public struct PlannedQuery {
        public var query: CannedQuery
        public var arguments: [String: String]
    }

    /// Checks the job; returns the report's lines, or throws a `JobFileError` (exit 2) naming the first problem.
    @discardableResult
    public func run() throws -> [String] {
        var report = ["job \(job.name) (\(job.path)): \(job.mode.rawValue)"]
        report.append("  database: \(job.databasePath)" + (FileManager.default.fileExists(atPath: job.databasePath) ? "" : " (will be created)"))
        try checkFolder(of: job.databasePath, key: "job.db")
        for url in job.sources {
            report.append("  source: \(url)" + (try describe(url)))
        }
        if let w = job.window {
            report.append("  window: [\(Timestamp.instant(w.lowerBound)), \(Timestamp.instant(w.upperBound)))" + (job.rebuild ? ", rebuild" : ""))
        }
        if let q = job.queries {
            try checkFolder(of: q.outputDirectory + "/x", key: "queries.output_dir")
            for p in try queries() {
                let args = p.arguments.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                report.append("  query: \(p.query.name)" + (args.isEmpty ? "" : " (\(args))") + " -> \(q.outputDirectory)/")
            }
        }
        if let e = job.export {
            report.append("  export: DynamoDB tables \(e.tablePrefix)-*" + (e.dryRun ? " (dry run)" : ""))
        }
        if let s = job.stream {
            report.append("  stream: kinesis://\(s.stream) from \(s.start) (shards without a checkpoint)")
        }
        return report
    }

    /// The job's queries with their arguments: `[queries.params]` where a query declares the parameter, else the
    /// automatic `day` and `hour` of the window's start; each value checked against the parameter's kind.
    public func queries() throws -> [PlannedQuery] {
        guard let q = job.queries, let window = job.window else { return [] }
        var loaded: [CannedQuery] = []
        for name in q.names {
            do { loaded.append(try catalog.query(name)) } catch let e as QueryError {
                throw error("queries.names", e.description)
            }
        }
        for name in q.params.keys.sorted() where !loaded.contains(where: { $0.parameter(named: name) != nil }) {
            throw error("queries.params.\(name)", "no listed query has this parameter (" + loaded.map { query in
                "\(query.name): \(query.parameters.map(\.name).joined(separator: ", "))" }.joined(separator: "; ") + ")")
        }
        let automatic = ["day": String(Timestamp.hourKey(window.lowerBound).prefix(10)), "hour": Timestamp.hourKey(window.lowerBound)]
        return try loaded.map { query in
            var arguments: [String: String] = [:]
            for p in query.parameters {
                let given = q.params[p.name]
                if let value = given ?? automatic[p.name] {
                    if let problem = p.kind.problem(with: value) {
                        throw error(given != nil ? "queries.params.\(p.name)" : "queries.names", "\(query.name): \(p.name): \(problem)")
                    }
                    arguments[p.name] = value
                } else if p.isRequired {
                    throw error("queries.params", "query \(query.name) needs \(p.name) (\(p.note)); add \(p.name) = … to [queries.params]")
                }
            }
            return PlannedQuery(query: query, arguments: arguments)
        }
    }

    private func describe(_ url: SourceURL) throws -> String {
        guard case let .local(path) = url, path != "-" else { return "" }
        do {
            let archive = try LocalArchive.isGlob(path) ? LocalArchive(glob: path) : LocalArchive(root: path)
            if let files = archive.namedFiles { return " (\(Plural.count(files.count, "file")))" }
            return " (folder)"
        } catch {
            if requireSources { throw self.error("source.urls", "\(error)") }
            return " (\(error))"
        }
    }

    /// The folder a file will be written in must exist, or be creatable under a writable ancestor.
    private func checkFolder(of file: String, key: String) throws {
        // By hand: Foundation's deletingLastPathComponent traps on some short relative paths ("r").
        func parent(_ p: String) -> String {
            guard let slash = p.lastIndex(of: "/") else { return "." }
            return slash == p.startIndex ? "/" : String(p[..<slash])
        }
        var dir = parent(file)
        var isDir: ObjCBool = false
        while !FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
            let up = parent(dir)
            if up == dir { break }
            dir = up
        }
        guard isDir.boolValue else { throw error(key, "\(dir) is a file, not a folder") }
        guard access(dir, W_OK) == 0 else { throw error(key, "folder \(dir) is not writable") }
    }

    func error(_ key: String, _ message: String) -> JobFileError {
        JobFileError(path: job.path, line: job.keyLines[key] ?? job.keyLines[key.split(separator: ".").prefix(2).joined(separator: ".")],
                     key: key, message: message)
    }
}
