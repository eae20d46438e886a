import ClickstreamCore

/// The `runs` table: one row per command run, written when it starts and updated when it ends, so a run killed
/// half-way is visible as `running` (and is marked `interrupted` by the next run).
extension Store {
    public struct RunRecord: Sendable {
        public var command: String
        public var sources: [String]
        public var window: Range<Int64>?
        public var rebuild: Bool
        public init(command: String, sources: [String], window: Range<Int64>?, rebuild: Bool) {
            self.command = command
            self.sources = sources
            self.window = window
            self.rebuild = rebuild
        }
    }

    public func beginRun(_ r: RunRecord, nowMs: Int64) throws -> Int64 {
        try database.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
        let st = try database.cachedStatement("""
            INSERT INTO runs (command, sources, window_from, window_to, rebuild, started_at, status)
            VALUES (?, ?, ?, ?, ?, ?, 'running') RETURNING run_id
            """)
        try st.bind([.text(r.command), .text(r.sources.joined(separator: " ")),
                     r.window.map { .text(Timestamp.instant($0.lowerBound)) } ?? .null,
                     r.window.map { .text(Timestamp.instant($0.upperBound)) } ?? .null,
                     .integer(r.rebuild ? 1 : 0), .text(Timestamp.instant(nowMs))])
        // RETURNING: the row is inserted by the first step, which also yields its id.
        defer { st.reset() }
        _ = try st.step()
        return st.int(0)
    }

    public func finishRun(_ id: Int64, status: String, stats: IngestStats, rowsWritten: Int, seconds: Double,
                          message: String?, nowMs: Int64) throws {
        let st = try database.cachedStatement("""
            UPDATE runs SET finished_at = ?, status = ?, documents = ?, in_window = ?, out_of_window = ?,
                distinct_new = ?, duplicates = ?, quarantined = ?, objects = ?, rows_written = ?, seconds = ?, message = ?
            WHERE run_id = ?
            """)
        try st.bind([.text(Timestamp.instant(nowMs)), .text(status), .integer(Int64(stats.documents)),
                     .integer(Int64(stats.inWindow)), .integer(Int64(stats.outOfWindow)),
                     .integer(Int64(stats.distinctNew)), .integer(Int64(stats.duplicates)),
                     .integer(Int64(stats.quarantinedTotal)), .integer(Int64(stats.objects)),
                     .integer(Int64(rowsWritten)), .real(seconds), message.map { .text($0) } ?? .null, .integer(id)])
        try st.run()
    }
}
