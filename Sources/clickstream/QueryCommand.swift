import ArgumentParser
import ClickstreamPipeline
import ClickstreamQueries
import Foundation

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run a canned SQL query (queries/*.sql) or a .sql file over the results database.",
        discussion: "Parameters are bound by name (--param day=2025-07-03), never spliced into the SQL. `--list` shows the queries and their parameters.")

    @Argument(help: "A canned query name (see --list) or a path to a .sql file.")
    var name: String?

    @Option(name: .customLong("param"), help: "A parameter as k=v (repeatable).")
    var params: [String] = []

    @Option(help: "Output format: table, csv or json.")
    var format: String = "table"

    @Flag(help: "List the canned queries with their parameters.")
    var list = false

    @Option(name: .customLong("queries-dir"), help: "Folder of canned queries (default: $CLICKSTREAM_QUERIES, ./queries, or the one beside the executable's checkout).")
    var queriesDir: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if !list && name == nil { throw ValidationError("Give a query name or --list.") }
    }

    func run() throws {
        let catalog = QueryCatalog.locate(explicit: queriesDir)
        do {
            if list {
                for q in try catalog.all() {
                    let ps = q.parameters.map { p in
                        p.isRequired ? p.name : "\(p.name)=\(p.defaultValue ?? "NULL")"
                    }
                    print("\(q.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(q.title)" + (ps.isEmpty ? "" : "  [\(ps.joined(separator: ", "))]"))
                }
                return
            }
            let outputFormat = try OutputFormat(parsing: format)
            let query = try catalog.query(name!)
            let arguments = try QueryRunner.parseArguments(params)
            guard FileManager.default.fileExists(atPath: store.db) else {
                throw ClickstreamError(.database, nil, "database \(store.db) does not exist; run `clickstream replay` or `clickstream demo` first")
            }
            let runner: QueryRunner
            do { runner = try QueryRunner(path: store.db) } catch {
                throw ClickstreamError.wrapping(error, .database, "database \(store.db)")
            }
            let result = try runner.run(query, arguments: arguments)
            print(ResultFormatter.format(result, as: outputFormat), terminator: "")
        } catch let e as QueryError {
            // The query's SQL failing is a failed sink (exit 1, as in a job's queries step); everything else
            // (an unknown query or parameter, a bad header or format) is the caller's to fix (exit 2).
            if case .database = e { throw ClickstreamError(.sink, nil, e.description) }
            throw ClickstreamError(.usage, nil, e.description)
        }
    }
}
