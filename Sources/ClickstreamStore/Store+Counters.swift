import ClickstreamCore

/// The `counters` rows and the minute-level anomaly (`high_frequency_clicks`) of an apply.
extension Store {
    /// Writes counter rows. In a fresh hour (nothing stored before) rows are plain inserts whose total is the new
    /// count; otherwise they add to the stored row and read the total back, since `high_frequency_clicks` depends
    /// on the minute's total over every run.
    func writeCounters(_ aggregates: [HourAggregate], _ g: Aggregation) throws -> WriteStats {
        var stats = WriteStats()
        let upsert = try database.cachedStatement("""
            INSERT INTO counters (metric_name, time_window, event_count, ttl) VALUES (?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET event_count = event_count + excluded.event_count, ttl = excluded.ttl
            RETURNING event_count
            """)
        let anomaly = try database.cachedStatement("INSERT OR REPLACE INTO anomalies (session_id, kind, at, details) VALUES (?, ?, ?, ?)")
        var minuteKeys = MinuteKeys()
        var name: [UInt8] = []
        let sessionPrefix = Array("session_events_".utf8), typePrefix = Array("events_per_minute_".utf8)
        let fastRows = try CounterRows(database)
        /// Writes one row; returns the minute's total, or nil when the row went to the batch (fresh hour: the total
        /// is the new count).
        func write(_ prefix: [UInt8], _ id: UInt32, _ interner: Interner, _ minuteMs: Int64, _ count: Int, fresh: Bool) throws -> Int64 {
            let ttl = minuteMs / 1000 + 60 + retentionSeconds
            if fresh {
                try interner.withBytes(of: id) {
                    try fastRows.add(prefix: prefix, suffix: $0, window: minuteKeys.key(minuteMs), count: Int64(count), ttl: ttl)
                }
                return Int64(count)
            }
            name.removeAll(keepingCapacity: true)
            name.append(contentsOf: prefix)
            interner.withBytes(of: id) { name.append(contentsOf: $0) }
            let window = minuteKeys.key(minuteMs)
            // Bound without copying, so bound, stepped and reset while both buffers are lent.
            let total: Int64 = try name.withUnsafeBytes { n in
                try window.withUnsafeBytes { w in
                    defer { upsert.reset() }
                    try upsert.bindTextNoCopy(1, n)
                    try upsert.bindTextNoCopy(2, w)
                    try upsert.bind(3, count)
                    try upsert.bind(4, ttl)
                    return try upsert.step() ? upsert.int(0) : Int64(count)
                }
            }
            stats.rowsWritten += 1
            return total
        }
        for a in aggregates {
            for t in a.typeMinutes {
                _ = try write(typePrefix, t.type, g.types, t.minuteMs, t.count, fresh: a.fresh)
            }
        }
        try fastRows.flush()
        // Session counters in key order (session string, then minute): appends at the B-tree's right edge.
        // The sort key packs (rank, minute offset) into 64 bits when the minutes span less than 2^32 (8,000 years);
        // otherwise it is the rank alone and minutes order the ties.
        struct Row { var key: UInt64; var session: UInt32; var minuteMs: Int64; var count: Int32; var fresh: Bool }
        let minutes = aggregates.map { $0.hour * 60 }
        let baseMinute = minutes.min() ?? 0
        let packed = (minutes.max() ?? 0) + 60 - baseMinute < 1 << 32
        var rows: [Row] = []
        rows.reserveCapacity(aggregates.reduce(0) { $0 + $1.sessionMinutes.count })
        for a in aggregates {
            for r in a.sessionMinutes {
                let rank = UInt64(g.sessionRank[Int(r.session)])
                rows.append(Row(key: packed ? rank << 32 | UInt64(r.minuteMs / 60_000 - baseMinute) : rank,
                                session: r.session, minuteMs: r.minuteMs, count: Int32(r.count), fresh: a.fresh))
            }
        }
        if packed {
            rows.sort { $0.key < $1.key }
        } else {
            rows.sort { $0.key != $1.key ? $0.key < $1.key : $0.minuteMs < $1.minuteMs }
        }
        for r in rows {
            let minuteMs = r.minuteMs
            let total = try write(sessionPrefix, r.session, g.sessions, minuteMs, Int(r.count), fresh: r.fresh)
            if let hit = AnomalyRules.highFrequency(session: g.sessions.string(of: r.session), minuteMs: minuteMs, count: Int(total)) {
                try anomaly.bind([.text(hit.sessionId), .text(hit.kind.rawValue), .text(hit.at), .text(hit.details)])
                try anomaly.run()
                stats.rowsWritten += 1
            }
        }
        try fastRows.flush()
        stats.rowsWritten += fastRows.written
        return stats
    }
}
