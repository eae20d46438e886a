import ClickstreamCore

/// The `events_per_minute_…` rows of `counters` (the `session_events_…` rows go with their session, through
/// `SessionTableWriter`).
extension Store {
    /// Writes the per-type counter rows. In a fresh hour (nothing stored before) rows are plain inserts, batched;
    /// otherwise they add to the stored row.
    func writeTypeCounters(_ aggregates: [HourAggregate], _ g: Aggregation) throws -> WriteStats {
        var stats = WriteStats()
        let upsert = try database.cachedStatement("""
            INSERT INTO counters (metric_name, time_window, event_count, ttl) VALUES (?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET event_count = event_count + excluded.event_count, ttl = excluded.ttl
            """)
        var minuteKeys = MinuteKeys()
        let prefix = Array("events_per_minute_".utf8)
        let fastRows = try CounterRows(database)
        for a in aggregates {
            for t in a.typeMinutes {
                let ttl = t.minuteMs / 1000 + 60 + retentionSeconds
                if a.fresh {
                    try g.types.withBytes(of: t.type) {
                        try fastRows.add(prefix: prefix, suffix: $0, window: minuteKeys.key(t.minuteMs), count: Int64(t.count), ttl: ttl)
                    }
                    continue
                }
                try upsert.bind(1, "events_per_minute_" + g.types.string(of: t.type))
                try upsert.bind(2, Timestamp.minuteKey(t.minuteMs))
                try upsert.bind(3, t.count)
                try upsert.bind(4, ttl)
                try upsert.run()
                stats.rowsWritten += 1
            }
        }
        try fastRows.flush()
        stats.rowsWritten += fastRows.written
        return stats
    }
}
