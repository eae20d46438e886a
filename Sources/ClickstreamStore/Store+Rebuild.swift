import ClickstreamCore

/// `--rebuild`: forgetting whole hours so they can be ingested again from scratch.
extension Store {
    /// Forgets every event of the whole hours `[fromHour, toHour)` (hour indexes): their fingerprints, partials and
    /// rows, then recomputes the sessions that had events there. Call inside a transaction, before ingesting.
    public func forget(hours: Range<Int64>) throws -> WriteStats {
        var stats = WriteStats()
        guard !hours.isEmpty else { return stats }
        let lo = hours.lowerBound, hi = hours.upperBound
        let fromHour = Timestamp.hourKey(lo * 3_600_000), toHour = Timestamp.hourKey(hi * 3_600_000)
        let fromMinute = Timestamp.minuteKey(lo * 3_600_000), toMinute = Timestamp.minuteKey(hi * 3_600_000)
        let affected = try database.cachedStatement("SELECT DISTINCT session_id FROM _session_hours WHERE hour >= ? AND hour < ?")
        try affected.bind([.integer(lo), .integer(hi)])
        var sessions: [String] = []
        while try affected.step() { sessions.append(affected.string(0)) }
        for (sql, args) in [
            ("DELETE FROM _session_hours WHERE hour >= ? AND hour < ?", [SQLValue.integer(lo), .integer(hi)]),
            ("DELETE FROM _seen WHERE hour >= ? AND hour < ?", [.integer(lo), .integer(hi)]),
            ("DELETE FROM page_metrics WHERE timestamp_hour >= ? AND timestamp_hour < ?", [.text(fromHour), .text(toHour)]),
            ("DELETE FROM counters WHERE time_window >= ? AND time_window < ?", [.text(fromMinute), .text(toMinute)]),
            ("DELETE FROM anomalies WHERE kind = 'high_frequency_clicks' AND at >= ? AND at < ?", [.text(fromMinute), .text(toMinute)]),
        ] {
            let st = try database.cachedStatement(sql)
            try st.bind(args)
            try st.run()
            stats.rowsDeleted += database.changes
        }
        stats.add(try recomputeSessions(sessions))
        seen.forget(hours: hours)
        return stats
    }

    /// Deletes the quarantine rows of `sources` (objects a rebuild is about to read again). Call inside the
    /// rebuild's transaction.
    public func forgetQuarantine(sources: [String]) throws -> WriteStats {
        var stats = WriteStats()
        guard !sources.isEmpty, try database.scalarInt("SELECT count(*) FROM quarantine") ?? 0 > 0 else { return stats }
        let st = try database.cachedStatement("DELETE FROM quarantine WHERE source = ?")
        for s in sources {
            try st.bind(1, s)
            try st.run()
            stats.rowsDeleted += database.changes
            st.reset()
        }
        return stats
    }
}
