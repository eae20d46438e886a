import ClickstreamCore
import ClickstreamQueries
import ClickstreamStore

extension ReportData {
    /// The longest window a report covers: its day-based sections hold one result per day.
    public static let maximumDays = 31

    /// Reads the report of `window` from `database` through the canned queries of `catalog`.
    /// Throws `QueryError` (a missing or broken canned query) or `DatabaseError`.
    public static func load(database: Database, databasePath: String, catalog: QueryCatalog, window: Range<Int64>,
                            generatedAt: String, sessionLimit: Int = 20, pageLimit: Int = 20) throws -> ReportData {
        let runner = QueryRunner(database: database)
        func run(_ name: String, _ arguments: [String: String]) throws -> QueryResult {
            try runner.run(try catalog.query(name), arguments: arguments)
        }
        let days = Self.days(of: window)
        let firstMinute = Timestamp.minuteKey(window.lowerBound)
        let lastMinute = Timestamp.minuteKey(window.upperBound - 1)

        var perMinute = QueryResult(columns: ["time_window", "event_type", "event_count"], rows: [])
        var hour = window.lowerBound.floorDiv(3_600_000) * 3_600_000
        while hour < window.upperBound {
            let r = try run("events-per-minute", ["hour": Timestamp.hourKey(hour)])
            perMinute.columns = r.columns
            perMinute.rows += r.rows.filter { row in
                guard case .text(let m) = row[0] else { return false }
                return m >= firstMinute && m <= lastMinute
            }
            hour += 3_600_000
        }

        let firstHour = Timestamp.hourKey(window.lowerBound), lastHour = Timestamp.hourKey(window.upperBound - 1)
        var hourly = QueryResult(columns: ["hour", "page_views", "events"], rows: [])
        var topPages: [(day: String, result: QueryResult)] = []
        var funnel: [(day: String, result: QueryResult)] = []
        var bounce = QueryResult(columns: ["day", "sessions", "bounced", "bounce_rate_pct"], rows: [])
        var anomalies = QueryResult(columns: ["at", "session_id", "kind", "details"], rows: [])
        for day in days {
            let h = try run("hourly-traffic", ["day": day])
            hourly.columns = h.columns
            hourly.rows += h.rows.filter { row in
                guard case .text(let k) = row[0] else { return false }
                return k >= firstHour && k <= lastHour
            }
            topPages.append((day, try run("top-pages", ["day": day, "limit": String(pageLimit)])))
            funnel.append((day, try run("funnel", ["day": day])))
            let b = try run("bounce-rate", ["day": day])
            bounce.columns = b.columns
            bounce.rows += b.rows
            let a = try run("anomalies", ["day": day])
            anomalies.columns = a.columns
            anomalies.rows += a.rows.filter { row in
                guard case .text(let at) = row[0] else { return false }
                let minute = String(at.prefix(16))
                return minute >= firstMinute && minute <= lastMinute
            }
        }
        let sessions = try run("top-sessions", ["limit": String(sessionLimit), "from": Timestamp.instant(window.lowerBound),
                                                "to": Timestamp.instant(window.upperBound)])

        let runs = try Self.runs(database, window: window)
        var quarantine = QueryResult(columns: ["reason", "source", "records"], rows: [])
        var totals: [[SQLValue]: Int64] = [:]
        for row in runs.rows {
            guard case .integer(let id) = row[0] else { continue }
            let q = try run("quarantine-summary", ["run": String(id)])
            quarantine.columns = q.columns
            for r in q.rows {
                guard case .integer(let n) = r[2] else { continue }
                totals[[r[0], r[1]], default: 0] += n
            }
        }
        quarantine.rows = totals.map { $0.key + [.integer($0.value)] }.sorted { a, b in
            if a[2] != b[2], case .integer(let x) = a[2], case .integer(let y) = b[2] { return x > y }
            return (a[0].description, a[1].description) < (b[0].description, b[1].description)
        }

        return ReportData(window: window, days: days, generatedAt: generatedAt, databasePath: databasePath,
                          eventsPerMinute: perMinute, hourlyTraffic: hourly, topPages: topPages, funnel: funnel,
                          bounceRate: bounce, topSessions: sessions, anomalies: anomalies, quarantine: quarantine,
                          runs: runs, lineage: try Self.lineage(database, runs: runs),
                          shards: try Self.table(database, "_checkpoints", """
                              SELECT stream, shard_id, sequence_number, millis_behind, updated_at FROM _checkpoints
                              ORDER BY stream, shard_id
                              """),
                          s3Objects: try Self.table(database, "_s3_objects", """
                              SELECT bucket, strftime('%Y-%m-%dT%H', hour / 1000, 'unixepoch') AS partition_hour,
                                     COUNT(*) AS objects, SUM(size) AS bytes
                              FROM _s3_objects WHERE covered_from < ? AND covered_to > ?
                              GROUP BY bucket, hour ORDER BY bucket, hour
                              """, [.integer(window.upperBound), .integer(window.lowerBound)]))
    }

    /// `YYYY-MM-DD` of every UTC day that `window` touches.
    public static func days(of window: Range<Int64>) -> [String] {
        var out: [String] = []
        var day = window.lowerBound.floorDiv(86_400_000) * 86_400_000
        while day < window.upperBound {
            out.append(String(Timestamp.hourKey(day).prefix(10)))
            day += 86_400_000
        }
        return out
    }

    /// Replays and exports whose event-time window overlaps the report's, and streams whose running time does.
    static func runs(_ db: Database, window: Range<Int64>) throws -> QueryResult {
        let from = Timestamp.instant(window.lowerBound), to = Timestamp.instant(window.upperBound)
        return try table(db, "runs", """
            SELECT run_id, command, sources, window_from, window_to, rebuild, started_at, finished_at, status,
                   in_window, distinct_new, duplicates, quarantined, objects, rows_written, round(seconds, 3) AS seconds
            FROM runs
            WHERE (window_from IS NOT NULL AND window_from < ?1 AND window_to > ?2)
               OR (window_from IS NULL AND started_at < ?1 AND COALESCE(finished_at, '9999') > ?2)
            ORDER BY run_id DESC LIMIT 200
            """, [.text(to), .text(from)])
    }

    /// One row per source URL of `runs`: how many of them read it, and the objects they read.
    static func lineage(_ db: Database, runs: QueryResult) throws -> QueryResult {
        var bySource: [String: (runs: Int, objects: Int64, ids: [Int64])] = [:]
        for row in runs.rows {
            guard case .integer(let id) = row[0], case .text(let sources) = row[2] else { continue }
            let objects: Int64
            if case .integer(let n) = row[13] { objects = n } else { objects = 0 }
            for s in sources.split(separator: " ").map(String.init) {
                var entry = bySource[s] ?? (0, 0, [])
                entry.runs += 1
                entry.objects += objects
                entry.ids.append(id)
                bySource[s] = entry
            }
        }
        let rows: [[SQLValue]] = bySource.keys.sorted().map { s in
            let e = bySource[s]!
            let kind = s.hasPrefix("s3://") ? "S3 archive" : s.hasPrefix("kinesis://") ? "Kinesis stream" : "local archive"
            return [.text(s), .text(kind), .integer(Int64(e.runs)), .integer(e.objects),
                    .text("runs " + e.ids.sorted().map(String.init).joined(separator: ", "))]
        }
        return QueryResult(columns: ["source", "kind", "runs", "objects_read", "run_ids"], rows: rows)
    }

    /// The rows of `sql`, or none when `table` does not exist (an older or a never-streamed database).
    static func table(_ db: Database, _ table: String, _ sql: String, _ values: [SQLValue] = []) throws -> QueryResult {
        guard try db.scalarInt("SELECT COUNT(*) FROM sqlite_master WHERE name = ?", [.text(table)]) == 1 else {
            return QueryResult(columns: [], rows: [])
        }
        let st = try db.prepare(sql)
        try st.bind(values)
        return QueryResult(columns: (0..<st.columnCount).map { st.columnName($0) }, rows: try st.rows())
    }
}
