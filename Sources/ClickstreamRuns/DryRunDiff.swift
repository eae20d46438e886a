import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore

/// `replay --dry-run`: copies the window's rows of each table before the run touches them, compares them with
/// what the run wrote, and rolls the run back. Everything happens inside the run's one transaction (the copies
/// are temporary tables, rolled back with it), so a dry run leaves the tables exactly as they were.
public final class DryRunDiff: CommitReview {
    /// One table's rows in the window, compared by primary key.
    public struct TableChange: Sendable, Equatable {
        public var table: String
        public var added = 0, changed = 0, removed = 0, unchanged = 0
        public var before: Int { changed + removed + unchanged }
        public var after: Int { added + changed + unchanged }
    }

    struct Table: Sendable {
        enum Bounds: Sendable { case hours, minutes, none }
        let name: String
        let keys: [String]
        let values: [String]
        /// Which rows are the window's (`?1`, `?2` bound to the window's first and last hour or minute key).
        let predicate: String
        let bounds: Bounds

        func values(for w: Range<Int64>) -> [SQLValue] {
            switch bounds {
            case .hours: return [.text(Timestamp.hourKey(w.lowerBound)), .text(Timestamp.hourKey(w.upperBound - 1))]
            case .minutes: return [.text(Timestamp.minuteKey(w.lowerBound)), .text(Timestamp.minuteKey(w.upperBound - 1))]
            case .none: return []
            }
        }
    }

    static let sessionsOfWindow = "session_id IN (SELECT session_id FROM temp.dry_sessions)"
    static let tables: [Table] = [
        Table(name: "page_metrics", keys: ["page_url", "timestamp_hour"], values: ["view_count"],
              predicate: "timestamp_hour BETWEEN ?1 AND ?2",
              bounds: .hours),
        Table(name: "counters", keys: ["metric_name", "time_window"], values: ["event_count", "ttl"],
              predicate: "time_window BETWEEN ?1 AND ?2",
              bounds: .minutes),
        Table(name: "session_metrics", keys: ["session_id"], values: ["event_count", "first_activity", "last_activity", "user_agent"],
              predicate: sessionsOfWindow, bounds: .none),
        Table(name: "anomalies", keys: ["session_id", "kind", "at"], values: ["details"],
              predicate: sessionsOfWindow, bounds: .none),
    ]

    let window: Range<Int64>
    /// The next review in line (the empty-source guard), consulted before the diff.
    let next: (any CommitReview)?
    public private(set) var changes: [TableChange] = []

    public init(window: Range<Int64>, next: (any CommitReview)? = nil) {
        self.window = window
        self.next = next
    }

    public func begin(store: Store) throws {
        try next?.begin(store: store)
        let db = store.database
        try collectSessions(db)
        for t in Self.tables { try snapshot(t, as: "dry_before_\(t.name)", db) }
    }

    public func shouldCommit(_ outcome: Pipeline.Outcome, store: Store) throws -> Bool {
        if let next, try !next.shouldCommit(outcome, store: store) { return false }
        let db = store.database
        // Sessions the run touched in the window, beside those that were there before (a rebuild may drop some).
        try collectSessions(db)
        changes = try Self.tables.map { t in
            try snapshot(t, as: "dry_after_\(t.name)", db)
            let on = t.keys.map { "a.\($0) = b.\($0)" }.joined(separator: " AND ")
            let differs = t.values.map { "a.\($0) IS NOT b.\($0)" }.joined(separator: " OR ")
            let before = "temp.dry_before_\(t.name)", after = "temp.dry_after_\(t.name)"
            var c = TableChange(table: t.name)
            c.added = Int(try db.scalarInt("SELECT count(*) FROM \(after) a WHERE NOT EXISTS (SELECT 1 FROM \(before) b WHERE \(on))") ?? 0)
            c.removed = Int(try db.scalarInt("SELECT count(*) FROM \(before) b WHERE NOT EXISTS (SELECT 1 FROM \(after) a WHERE \(on))") ?? 0)
            // Rows in both, counted and split by whether a value differs, in one join.
            let both = try db.prepare("SELECT count(*), coalesce(sum(\(differs)), 0) FROM \(after) a JOIN \(before) b ON \(on)")
            _ = try both.step()
            c.changed = Int(both.int(1))
            c.unchanged = Int(both.int(0)) - c.changed
            return c
        }
        return false
    }

    private func collectSessions(_ db: Database) throws {
        try db.execute("CREATE TEMP TABLE IF NOT EXISTS dry_sessions (session_id TEXT PRIMARY KEY) WITHOUT ROWID")
        let st = try db.prepare("INSERT OR IGNORE INTO temp.dry_sessions SELECT session_id FROM main._session_hours WHERE hour BETWEEN ? AND ?")
        try st.bind([.integer(window.lowerBound.floorDiv(3_600_000)), .integer((window.upperBound - 1).floorDiv(3_600_000))])
        _ = try st.rows()
    }

    private func snapshot(_ t: Table, as name: String, _ db: Database) throws {
        let st = try db.prepare("CREATE TEMP TABLE \(name) AS SELECT * FROM main.\(t.name) WHERE \(t.predicate)")
        try st.bind(t.values(for: window))
        _ = try st.rows()
    }
}
