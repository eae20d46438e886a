import ArgumentParser
import ClickstreamPipeline
import ClickstreamQueries
import ClickstreamStore
import Foundation

extension OutputFormat: ExpressibleByArgument {}

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run a canned SQL query (queries/*.sql) or a .sql file over the results database.",
        discussion: """
        Parameters are bound by name (--param day=2025-07-03), never spliced into the SQL, and checked against the \
        query's declared kinds (a day, an hour, an integer). `--list` shows the queries and their parameters. On a \
        terminal, tables are cut to its width (--wide: never).
        """)

    @Argument(help: "A canned query name (see --list) or a path to a .sql file.",
              completion: .custom { _, _, _ in (try? QueryCatalog.locate().names()) ?? [] })
    var name: String?

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter as name=value (repeatable).", valueName: "name=value"))
    var params: [String] = []

    @Option(help: "Output format.")
    var format: OutputFormat = .table

    @Flag(help: "List the canned queries with their parameters.")
    var list = false

    @Flag(help: "Never cut a table to the terminal's width.")
    var wide = false

    @Option(name: .customLong("queries-dir"), help: "Folder of canned queries (default: $CLICKSTREAM_QUERIES, ./queries, or the one beside the executable's checkout).",
            completion: .directory)
    var queriesDir: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if !list && name == nil { throw ValidationError("Give a query name or --list.") }
    }

    func run() throws {
        let catalog = QueryCatalog.locate(explicit: queriesDir)
        do {
            if list {
                let rows: [[SQLValue]] = try catalog.all().map { q in
                    let ps = q.parameters.map { p in p.isRequired ? p.name : "\(p.name)=\(p.defaultValue ?? "NULL")" }
                    return [.text(q.name), .text(q.title), .text(ps.joined(separator: ", "))]
                }
                let result = QueryResult(columns: ["name", "title", "parameters"], rows: rows)
                try Console.out(ResultFormatter.format(result, as: format, maxWidth: wide ? nil : Console.terminalWidth), terminator: "")
                return
            }
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
            try Console.out(ResultFormatter.format(result, as: format, maxWidth: wide ? nil : Console.terminalWidth), terminator: "")
        } catch let e as QueryError {
            // The query's SQL failing is a failed sink (exit 1, as in a job's queries step); everything else
            // (an unknown query or parameter, a bad value or header) is the caller's to fix (exit 2).
            if case .database = e { throw ClickstreamError(.sink, nil, e.description) }
            throw ClickstreamError(.usage, nil, e.description)
        }
    }
}
