import ArgumentParser
import ClickstreamPipeline
import ClickstreamQueries
import ClickstreamStore
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the latest runs and the stream's per-shard checkpoints and lag from the database.",
        discussion: "--format json prints one object {\"runs\": […], \"checkpoints\": […]}; csv prints the two tables one after the other, each with its header.")

    @Option(parsing: .unconditional, help: "How many recent runs to show.")
    var runs: Int = 10

    @Option(help: "Output format.")
    var format: OutputFormat = .table

    @Flag(help: "Never cut a table to the terminal's width.")
    var wide = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if runs < 1 { throw ValidationError("--runs must be 1 or more, not \(runs).") }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: store.db) else {
            throw ClickstreamError(.database, nil, "database \(store.db) does not exist")
        }
        let (recent, shards): (QueryResult, QueryResult)
        do {
            let db = try Database(path: store.db, readOnly: true)
            let st = try db.prepare("""
                SELECT run_id, command, status, started_at, window_from, window_to, distinct_new, duplicates, quarantined,
                       round(seconds, 2) AS seconds, message
                FROM runs ORDER BY run_id DESC LIMIT ?
                """)
            try st.bind(1, runs)
            recent = try result(st)
            shards = try result(try db.prepare("""
                SELECT stream, shard_id, sequence_number, millis_behind, updated_at FROM _checkpoints ORDER BY stream, shard_id
                """))
        } catch {
            throw ClickstreamError.wrapping(error, .database, "database \(store.db)")
        }
        switch format {
        case .json:
            // Both tables in one document: the JSON formatter's arrays, keyed.
            try Console.out("{\"runs\": " + ResultFormatter.json(recent).trimmingCharacters(in: .newlines)
                + ",\n\"checkpoints\": " + ResultFormatter.json(shards).trimmingCharacters(in: .newlines) + "}")
        case .csv:
            try Console.out(ResultFormatter.csv(recent) + "\n" + ResultFormatter.csv(shards), terminator: "")
        case .table:
            let width = wide ? nil : Console.terminalWidth
            try Console.out("Runs\n" + ResultFormatter.table(recent, maxWidth: width)
                + "\nShard checkpoints\n" + ResultFormatter.table(shards, maxWidth: width), terminator: "")
        }
    }

    private func result(_ st: Statement) throws -> QueryResult {
        let columns = (0..<st.columnCount).map { st.columnName($0) }
        return QueryResult(columns: columns, rows: try st.rows())
    }
}
