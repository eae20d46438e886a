import ClickstreamCore

/// `merge`: adding a partial database (a partition's, or any other replay's) to this one, hour by hour, through
/// the same state a replay keeps — so the result is what one replay of the union of their events would leave.
///
/// An hour is the unit: its fingerprint set says which distinct events it holds, and every row it feeds (its page
/// rows, its minutes' counters, its per-(session, hour) partials) comes from those events only. So for each hour
/// of the part, against this database's set for that hour:
/// - the part's set is contained in ours: nothing to add (merging a part twice, or into a replay that covers it);
/// - ours is empty or disjoint from the part's: the hour's rows are added (sums, and partials merged);
/// - ours is contained in the part's: our hour is forgotten and the part's copied (an older, narrower replay);
/// - otherwise the two hold different events and neither holds all: no exact union can be made from counts, and
///   the merge is refused naming the hour (replaying it with `--rebuild` settles it).
/// Session rows and the session anomalies are then recomputed from the merged partials by the code a replay uses
/// (`recomputeSessions`), so a session spanning parts, and a checkout just after a partition boundary that sees
/// the earlier events of the previous partition, come out as in one pass; `high_frequency_clicks` is decided on
/// the merged minute totals. The result does not depend on the order parts are merged in.
extension Store {
    public struct MergeStats: Equatable, Sendable {
        public var hoursAdded = 0
        public var hoursReplaced = 0
        public var hoursUnchanged = 0
        /// Distinct events the merge added (the fingerprints new to this database).
        public var eventsAdded = 0
        public var quarantineAdded = 0
        public var runsCopied = 0
        /// Events with an `event_id` that this database already holds in the neighbouring hour (another part's):
        /// one replay would have counted them once; a merge cannot tell which copy to drop, so it reports them.
        public var neighbourIdCopies = 0
        public var writes = WriteStats()
        public init() {}
    }

    /// Adds the database at `path` to this one (see above), in one transaction. `runId` is the merge's own run,
    /// recorded on the quarantine rows it copies.
    public func merge(partAt path: String, runId: Int64?) throws -> MergeStats {
        let attach = try database.prepare("ATTACH DATABASE ? AS part")
        try attach.bind(1, path)
        try attach.run()
        defer { try? database.execute("DETACH DATABASE part") }
        return try transaction { try mergeAttached(path: path, runId: runId) }
    }

    private func mergeAttached(path: String, runId: Int64?) throws -> MergeStats {
        var stats = MergeStats()
        for table in ["_meta", "_seen", "_session_hours", "page_metrics", "counters", "quarantine", "runs"] {
            let present = try database.scalarInt("SELECT count(*) FROM part.sqlite_master WHERE type = 'table' AND name = ?", [.text(table)]) ?? 0
            if present == 0 { throw StoreMergeError.notAStore(path: path, missing: table) }
        }
        let version = try database.prepare("SELECT value FROM part._meta WHERE key = 'schema_version'")
        let found = try version.step() ? version.string(0) : "none"
        if found != String(Schema.version) { throw StoreMergeError.schemaVersion(path: path, found: found, expected: Schema.version) }
        var hours: [Int64] = []
        let listHours = try database.prepare("SELECT DISTINCT hour FROM part._seen ORDER BY hour")
        while try listHours.step() { hours.append(listHours.int(0)) }

        var added: [Int64] = []
        for h in hours {
            let theirs = try fingerprints(ofPartHour: h)
            let ours = try seen.load(hour: h)
            let theirSet = Set(theirs), ourSet = Set(ours)
            if theirSet.isSubset(of: ourSet) {
                stats.hoursUnchanged += 1
                continue
            }
            if !ourSet.isEmpty && !ourSet.isDisjoint(with: theirSet) {
                guard ourSet.isSubset(of: theirSet) else {
                    throw StoreMergeError.conflictingHour(path: path, hour: Timestamp.hourKey(h * 3_600_000),
                                                          ours: ourSet.count, theirs: theirSet.count,
                                                          shared: ourSet.intersection(theirSet).count)
                }
                stats.writes.add(try forget(hours: h..<(h + 1)))
                stats.hoursReplaced += 1
                stats.eventsAdded += theirSet.count - ourSet.count
            } else {
                stats.hoursAdded += 1
                stats.eventsAdded += theirSet.count
            }
            for n in [h - 1, h + 1] {
                let neighbour = Set(try seen.load(hour: n).filter { $0 & EventRecord.idKeyBit != 0 })
                if !neighbour.isEmpty {
                    stats.neighbourIdCopies += theirs.reduce(0) { $0 + ($1 & EventRecord.idKeyBit != 0 && neighbour.contains($1) ? 1 : 0) }
                }
            }
            try seen.append(hour: h, Array(theirSet.subtracting(seen.load(hour: h))).sorted())
            stats.writes.rowsWritten += 1
            added.append(h)
        }
        var touched: [String] = []
        stats.writes.add(try addRows(ofPartHours: added, touched: &touched))
        stats.writes.add(try recomputeSessions(touched))

        let quarantine = try database.prepare("""
            INSERT OR IGNORE INTO quarantine (run_id, source, location, reason, message, raw)
            SELECT ?, source, location, reason, message, raw FROM part.quarantine ORDER BY source, location
            """)
        try quarantine.bind(1, runId)
        try quarantine.run()
        stats.quarantineAdded = database.changes
        stats.writes.rowsWritten += database.changes

        try mergeLineage()
        // The parts' own runs, once each (a part merged twice is not recorded twice): the lineage of every row.
        let runs = try database.prepare("""
            INSERT INTO runs (command, sources, window_from, window_to, rebuild, started_at, finished_at, status, documents,
                              in_window, out_of_window, distinct_new, duplicates, quarantined, objects, rows_written, seconds, message)
            SELECT p.command, p.sources, p.window_from, p.window_to, p.rebuild, p.started_at, p.finished_at, p.status, p.documents,
                   p.in_window, p.out_of_window, p.distinct_new, p.duplicates, p.quarantined, p.objects, p.rows_written, p.seconds,
                   coalesce(p.message || ' ', '') || '(merged from part ' || ? || ')'
            FROM part.runs p WHERE p.command != 'merge' AND NOT EXISTS (
                SELECT 1 FROM runs r WHERE r.command = p.command AND r.sources = p.sources AND r.started_at = p.started_at
                AND r.window_from IS p.window_from AND r.window_to IS p.window_to)
            ORDER BY p.run_id
            """)
        try runs.bind(1, path)
        try runs.run()
        stats.runsCopied = database.changes
        return stats
    }

    private func fingerprints(ofPartHour h: Int64) throws -> [UInt64] {
        let st = try database.prepare("SELECT fingerprints FROM part._seen WHERE hour = ? ORDER BY part")
        try st.bind(1, h)
        var out: [UInt64] = []
        while try st.step() {
            let b = st.blob(0)
            out.append(contentsOf: UnsafeBufferPointer(start: b.baseAddress?.assumingMemoryBound(to: UInt64.self), count: b.count / 8))
        }
        return out
    }

    /// Adds the page rows, counters and session partials of `hours` from the part (their events are new here),
    /// and the `high_frequency_clicks` of their minutes from the merged totals; their sessions go to `touched`.
    /// One pass over each of the part's tables: the hour is not a key prefix of these tables, so a per-hour
    /// filter would scan them once per hour.
    private func addRows(ofPartHours hours: [Int64], touched: inout [String]) throws -> WriteStats {
        var stats = WriteStats()
        guard !hours.isEmpty else { return stats }
        try database.execute("""
            CREATE TEMP TABLE IF NOT EXISTS merge_hours (hour INTEGER PRIMARY KEY, hour_key TEXT NOT NULL UNIQUE);
            DELETE FROM temp.merge_hours;
            """)
        let addHour = try database.prepare("INSERT INTO temp.merge_hours (hour, hour_key) VALUES (?, ?)")
        for h in hours {
            try addHour.bind([.integer(h), .text(Timestamp.hourKey(h * 3_600_000))])
            try addHour.run()
        }
        try database.execute("""
            INSERT INTO page_metrics (page_url, timestamp_hour, view_count)
            SELECT page_url, timestamp_hour, view_count FROM part.page_metrics
            WHERE timestamp_hour IN (SELECT hour_key FROM temp.merge_hours)
            ON CONFLICT DO UPDATE SET view_count = view_count + excluded.view_count
            """)
        stats.rowsWritten += database.changes
        try database.execute("""
            INSERT INTO counters (metric_name, time_window, event_count, ttl)
            SELECT metric_name, time_window, event_count, ttl FROM part.counters
            WHERE substr(time_window, 1, 13) IN (SELECT hour_key FROM temp.merge_hours)
            ON CONFLICT DO UPDATE SET event_count = event_count + excluded.event_count, ttl = max(ttl, excluded.ttl)
            """)
        stats.rowsWritten += database.changes

        // The minutes the part brought, looked up in the merged totals.
        let busy = try database.prepare("""
            SELECT substr(c.metric_name, 16), c.time_window, c.event_count FROM part.counters p
            JOIN counters c ON c.metric_name = p.metric_name AND c.time_window = p.time_window
            WHERE p.metric_name LIKE 'session\\_events\\_%' ESCAPE '\\'
            AND substr(p.time_window, 1, 13) IN (SELECT hour_key FROM temp.merge_hours)
            AND c.event_count > \(AnomalyRules.clicksPerMinuteLimit)
            """)
        let anomaly = try database.cachedStatement("INSERT OR REPLACE INTO anomalies (session_id, kind, at, details) VALUES (?, ?, ?, ?)")
        var minuteMs: [String: Int64] = [:]
        for h in hours {
            for m in 0..<60 { minuteMs[Timestamp.minuteKey(h * 3_600_000 + Int64(m) * 60_000)] = h * 3_600_000 + Int64(m) * 60_000 }
        }
        while try busy.step() {
            guard let ms = minuteMs[busy.string(1)],
                  let hit = AnomalyRules.highFrequency(session: busy.string(0), minuteMs: ms, count: Int(busy.int(2))) else { continue }
            try anomaly.bind([.text(hit.sessionId), .text(hit.kind.rawValue), .text(hit.at), .text(hit.details)])
            try anomaly.run()
            stats.rowsWritten += 1
        }

        let partials = try database.prepare("""
            SELECT session_id, hour, \(Self.partialColumns) FROM part._session_hours
            WHERE hour IN (SELECT hour FROM temp.merge_hours) ORDER BY session_id, hour
            """)
        let loadOne = try database.cachedStatement("SELECT \(Self.partialColumns) FROM _session_hours WHERE session_id = ? AND hour = ?")
        let save = try database.cachedStatement("INSERT OR REPLACE INTO _session_hours (session_id, hour, \(Self.partialColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        while try partials.step() {
            let sid = partials.string(0), h = partials.int(1)
            var p = Self.readPartial(partials, from: 2)
            try loadOne.bind([.text(sid), .integer(h)])
            if try loadOne.step() { p.merge(Self.readPartial(loadOne, from: 0)) }
            loadOne.reset()
            try save.bind(1, sid)
            try save.bind(2, h)
            try Self.bindPartial(p, save, from: 3)
            try save.run()
            stats.rowsWritten += 1
            if touched.last != sid { touched.append(sid) }
        }
        return stats
    }

    /// The S3 object manifest: an object read by two parts keeps the union of the spans they read it for
    /// (contiguous partitions), or the part's row when its ETag differs (the object changed between the reads).
    private func mergeLineage() throws {
        let present = try database.scalarInt("SELECT count(*) FROM part.sqlite_master WHERE name = '_s3_objects'") ?? 0
        guard present > 0 else { return }
        try database.execute(Self.objectManifestSQL)
        try database.execute("""
            INSERT INTO _s3_objects (bucket, key, etag, size, hour, covered_from, covered_to, run_id)
            SELECT bucket, key, etag, size, hour, covered_from, covered_to, NULL FROM part._s3_objects WHERE true
            ON CONFLICT (bucket, key) DO UPDATE SET
                covered_from = CASE WHEN etag = excluded.etag AND size = excluded.size THEN min(covered_from, excluded.covered_from) ELSE excluded.covered_from END,
                covered_to = CASE WHEN etag = excluded.etag AND size = excluded.size THEN max(covered_to, excluded.covered_to) ELSE excluded.covered_to END,
                etag = excluded.etag, size = excluded.size, hour = excluded.hour
            """)
    }
}
