import ClickstreamCore

/// Writes session groups, one session at a time in id order, to the four tables that are keyed by session:
/// `counters` (`session_events_…` rows, with `high_frequency_clicks` from each minute's total), `_session_hours`,
/// `session_metrics` and the session-level anomalies. Every path that adds events to sessions writes through
/// here — a whole run's merged spill at its end, a streamed batch, a merge of parts, a rebuild's recompute — so
/// the four tables cannot disagree about a session.
final class SessionTableWriter {
    private let database: Database
    private let retentionSeconds: Int64
    private let counters: CounterRows
    private let upsertCounter: Statement
    private let addAnomaly: Statement
    private let loadPartial: Statement
    private let savePartial: Statement
    private let loadPartials: Statement
    private let deleteMetrics: Statement
    private let saveMetrics: Statement
    private let clearAnomalies: Statement
    private var minuteKeys = MinuteKeys()
    /// The last minute's `time_window` (a session's minutes come in a row).
    private var lastMinute = Int64.min
    private var window: [UInt8] = []
    private var name: [UInt8] = []
    private var stats = Store.WriteStats()
    static let counterPrefix = Array("session_events_".utf8)

    init(database: Database, retentionSeconds: Int64) throws {
        self.database = database
        self.retentionSeconds = retentionSeconds
        counters = try CounterRows(database)
        upsertCounter = try database.cachedStatement("""
            INSERT INTO counters (metric_name, time_window, event_count, ttl) VALUES (?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET event_count = event_count + excluded.event_count, ttl = excluded.ttl
            RETURNING event_count
            """)
        addAnomaly = try database.cachedStatement("INSERT OR REPLACE INTO anomalies (session_id, kind, at, details) VALUES (?, ?, ?, ?)")
        loadPartial = try database.cachedStatement("SELECT \(Store.partialColumns) FROM _session_hours WHERE session_id = ? AND hour = ?")
        savePartial = try database.cachedStatement(
            "INSERT OR REPLACE INTO _session_hours (session_id, hour, \(Store.partialColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        loadPartials = try database.cachedStatement("SELECT \(Store.partialColumns) FROM _session_hours WHERE session_id = ?")
        deleteMetrics = try database.cachedStatement("DELETE FROM session_metrics WHERE session_id = ?")
        saveMetrics = try database.cachedStatement("""
            INSERT OR REPLACE INTO session_metrics (session_id, event_count, first_activity, last_activity, user_agent)
            VALUES (?, ?, ?, ?, ?)
            """)
        clearAnomalies = try database.cachedStatement(
            "DELETE FROM anomalies WHERE session_id = ? AND kind IN ('suspicious_user_agent', 'unusual_page_sequence')")
    }

    /// Adds `group`'s counts and partials. `stored(hour)` says whether rows of that hour may already exist (they
    /// are then added to, and the minute's total read back); otherwise rows are plain inserts. With `whole`, the
    /// group holds every event of its session, so `session_metrics` is written from it without a read-back.
    func write(_ group: SessionGroup, stored: (Int64) -> Bool, whole: Bool) throws {
        name.removeAll(keepingCapacity: true)
        name.append(contentsOf: Self.counterPrefix)
        name.append(contentsOf: group.session)
        try name.withUnsafeBytes { n in
            let sid = UnsafeRawBufferPointer(rebasing: n[Self.counterPrefix.count...])
            for m in group.minutes {
                let ttl = m.minuteMs / 1000 + 60 + retentionSeconds
                if m.minuteMs != lastMinute {
                    lastMinute = m.minuteMs
                    window = minuteKeys.key(m.minuteMs)
                }
                var total = m.count
                if stored(m.minuteMs.floorDiv(3_600_000)) {
                    total = try window.withUnsafeBytes { w in
                        defer { upsertCounter.reset() }
                        try upsertCounter.bindTextNoCopy(1, n)
                        try upsertCounter.bindTextNoCopy(2, w)
                        try upsertCounter.bind(3, m.count)
                        try upsertCounter.bind(4, ttl)
                        return try upsertCounter.step() ? upsertCounter.int(0) : m.count
                    }
                    stats.rowsWritten += 1
                } else {
                    try counters.add(prefix: [], suffix: n, window: window, count: m.count, ttl: ttl)
                }
                if total > AnomalyRules.clicksPerMinuteLimit,
                   let hit = AnomalyRules.highFrequency(session: group.sessionString, minuteMs: m.minuteMs, count: Int(total)) {
                    try add(hit)
                }
            }
            var merged: SessionPartial? = nil
            for h in group.hours {
                var p = h.partial
                if stored(h.hour) {
                    defer { loadPartial.reset() }
                    try loadPartial.bindTextNoCopy(1, sid)
                    try loadPartial.bind(2, h.hour)
                    if try loadPartial.step() { p.merge(Store.readPartial(loadPartial, from: 0)) }
                }
                try savePartial.bindTextNoCopy(1, sid)
                try savePartial.bind(2, h.hour)
                try Store.bindPartial(p, savePartial, from: 3)
                try savePartial.run()
                stats.rowsWritten += 1
                if merged == nil { merged = p } else { merged!.merge(p) }
            }
            guard !group.hours.isEmpty else { return }
            try recompute(sid, whole ? merged : nil)
        }
    }

    /// `recompute` for a session id given as a string.
    func recompute(_ sid: String, _ given: SessionPartial?) throws {
        var id = sid
        try id.withUTF8 { try recompute(UnsafeRawBufferPointer($0), given) }
    }

    /// Rewrites `session_metrics` and the session-level anomalies of `sid`: from `given` (the session's whole
    /// merged partial) or, when nil, from its rows in `_session_hours` (deleted when no rows remain).
    func recompute(_ sid: UnsafeRawBufferPointer, _ given: SessionPartial?) throws {
        var merged = given
        if merged == nil {
            try loadPartials.bindTextNoCopy(1, sid)
            while try loadPartials.step() {
                let p = Store.readPartial(loadPartials, from: 0)
                if merged == nil { merged = p } else { merged!.merge(p) }
            }
            loadPartials.reset()
            try clearAnomalies.bindTextNoCopy(1, sid)
            try clearAnomalies.run()
            stats.rowsDeleted += database.changes
        }
        guard let m = merged else {
            try deleteMetrics.bindTextNoCopy(1, sid)
            try deleteMetrics.run()
            stats.rowsDeleted += database.changes
            return
        }
        try saveMetrics.bindTextNoCopy(1, sid)
        try saveMetrics.bind(2, m.eventCount)
        try saveMetrics.bind(3, Timestamp.instant(m.firstMs))
        try saveMetrics.bind(4, Timestamp.instant(m.lastMs))
        try saveMetrics.bind(5, m.lastAgent ?? "unknown")
        try saveMetrics.run()
        stats.rowsWritten += 1
        stats.sessionsRecomputed += 1
        if m.botMs != nil || !m.checkouts.isEmpty {
            for a in m.anomalies(session: String(decoding: sid, as: UTF8.self)) { try add(a) }
        }
    }

    private func add(_ a: Anomaly) throws {
        try addAnomaly.bind([.text(a.sessionId), .text(a.kind.rawValue), .text(a.at), .text(a.details)])
        try addAnomaly.run()
        stats.rowsWritten += 1
    }

    /// Writes what is still batched; returns the totals.
    func finish() throws -> Store.WriteStats {
        try counters.flush()
        var out = stats
        out.rowsWritten += counters.written
        return out
    }
}
