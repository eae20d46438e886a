import ArgumentParser
import ClickstreamPipeline
import ClickstreamQueries
import ClickstreamStore
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the latest runs and the stream's per-shard checkpoints and lag from the database.")

    @Option(help: "How many recent runs to show.")
    var runs: Int = 10

    @OptionGroup var store: StoreOptions

    func run() throws {
        guard FileManager.default.fileExists(atPath: store.db) else {
            throw ClickstreamError(.database, nil, "database \(store.db) does not exist")
        }
        do {
            try show(try Database(path: store.db, readOnly: true))
        } catch {
            throw ClickstreamError.wrapping(error, .database, "database \(store.db)")
        }
    }

    private func show(_ db: Database) throws {
        let recent = try db.prepare("""
            SELECT run_id, command, status, started_at, window_from, window_to, distinct_new, duplicates, quarantined,
                   round(seconds, 2) AS seconds, message
            FROM runs ORDER BY run_id DESC LIMIT ?
            """)
        try recent.bind(1, runs)
        print("Runs")
        print(ResultFormatter.format(try result(recent), as: .table), terminator: "")
        let shards = try db.prepare("""
            SELECT stream, shard_id, sequence_number, millis_behind, updated_at FROM _checkpoints ORDER BY stream, shard_id
            """)
        print("\nShard checkpoints")
        print(ResultFormatter.format(try result(shards), as: .table), terminator: "")
    }

    private func result(_ st: Statement) throws -> QueryResult {
        let columns = (0..<st.columnCount).map { st.columnName($0) }
        return QueryResult(columns: columns, rows: try st.rows())
    }
}
