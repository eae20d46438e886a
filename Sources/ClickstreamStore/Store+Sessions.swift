import ClickstreamCore

/// Sessions: the per-(session, hour) partials in `_session_hours`, and `session_metrics` with the session-level
/// anomalies recomputed from them.
extension Store {
    func writeSessions(_ aggregates: [HourAggregate], _ g: Aggregation, _ context: RunContext) throws -> WriteStats {
        var stats = WriteStats()
        if context.startedEmpty == nil {
            context.startedEmpty = try database.cachedScalarInt("SELECT EXISTS (SELECT 1 FROM _session_hours)") == 0
        }
        let startedEmpty = context.startedEmpty!
        struct Row { var key: UInt64; var hourIndex: Int; var sessionIndex: Int }
        var rows: [Row] = []
        for (h, a) in aggregates.enumerated() {
            for (i, s) in a.sessions.enumerated() {
                rows.append(Row(key: UInt64(g.sessionRank[Int(s.session)]) << 32 | UInt64(h), hourIndex: h, sessionIndex: i))
            }
        }
        rows.sort { $0.key < $1.key }

        let loadOne = try database.cachedStatement("SELECT \(Self.partialColumns) FROM _session_hours WHERE session_id = ? AND hour = ?")
        let save = try database.cachedStatement("INSERT OR REPLACE INTO _session_hours (session_id, hour, \(Self.partialColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        var i = 0
        var touched: [(String, SessionPartial?)] = []
        touched.reserveCapacity(rows.count)
        while i < rows.count {
            let rank = rows[i].key >> 32
            let first = aggregates[rows[i].hourIndex].sessions[rows[i].sessionIndex]
            let sid = g.sessions.string(of: first.session)
            let known = !context.touchedSessions.insert(g.sessions.hash(of: first.session)).inserted
            var merged: SessionPartial? = nil
            while i < rows.count && rows[i].key >> 32 == rank {
                let a = aggregates[rows[i].hourIndex]
                var p = a.sessions[rows[i].sessionIndex].partial
                if !a.fresh {
                    try loadOne.bind(1, sid)
                    try loadOne.bind(2, a.hour)
                    if try loadOne.step() { p.merge(Self.readPartial(loadOne, from: 0)) }
                    loadOne.reset()
                }
                try save.bind(1, sid)
                try save.bind(2, a.hour)
                try Self.bindPartial(p, save, from: 3)
                try save.run()
                stats.rowsWritten += 1
                if merged == nil { merged = p } else { merged!.merge(p) }
                i += 1
            }
            // With earlier rows possibly stored, the whole session is re-read below; otherwise these are all its hours.
            touched.append((sid, (!startedEmpty || known) ? nil : merged))
        }
        stats.add(try recomputeSessions(touched))
        return stats
    }

    static let partialColumns = "event_count, first_ms, last_ms, last_agent, bot_ms, bot_agent, e1, e2, e3, c1, c2, c3"

    static func readPartial(_ st: Statement, from c: Int32) -> SessionPartial {
        SessionPartial(eventCount: st.int(c), firstMs: st.int(c + 1), lastMs: st.int(c + 2),
                       lastAgent: st.optionalString(c + 3), botMs: st.optionalInt(c + 4), botAgent: st.optionalString(c + 5),
                       early: [st.optionalInt(c + 6), st.optionalInt(c + 7), st.optionalInt(c + 8)].compactMap { $0 },
                       checkouts: [st.optionalInt(c + 9), st.optionalInt(c + 10), st.optionalInt(c + 11)].compactMap { $0 })
    }

    static func bindPartial(_ p: SessionPartial, _ st: Statement, from c: Int32) throws {
        try st.bind(c, p.eventCount)
        try st.bind(c + 1, p.firstMs)
        try st.bind(c + 2, p.lastMs)
        try st.bind(c + 3, p.lastAgent)
        try st.bind(c + 4, p.botMs)
        try st.bind(c + 5, p.botAgent)
        for k in 0..<3 { try st.bind(c + 6 + Int32(k), k < p.early.count ? p.early[k] : nil) }
        for k in 0..<3 { try st.bind(c + 9 + Int32(k), k < p.checkouts.count ? p.checkouts[k] : nil) }
    }

    /// Rewrites `session_metrics` and the session-level anomalies of `sessions`. A session given with its whole
    /// merged partial is written from it; one given with nil is re-read from `_session_hours` (deleted when no
    /// rows remain).
    func recomputeSessions(_ sessions: [(String, SessionPartial?)]) throws -> WriteStats {
        var stats = WriteStats()
        let loadAll = try database.cachedStatement("SELECT \(Self.partialColumns) FROM _session_hours WHERE session_id = ?")
        let delete = try database.cachedStatement("DELETE FROM session_metrics WHERE session_id = ?")
        let save = try database.cachedStatement("""
            INSERT OR REPLACE INTO session_metrics (session_id, event_count, first_activity, last_activity, user_agent)
            VALUES (?, ?, ?, ?, ?)
            """)
        let clear = try database.cachedStatement("DELETE FROM anomalies WHERE session_id = ? AND kind IN ('suspicious_user_agent', 'unusual_page_sequence')")
        let addAnomaly = try database.cachedStatement("INSERT OR REPLACE INTO anomalies (session_id, kind, at, details) VALUES (?, ?, ?, ?)")
        for (sid, given) in sessions {
            var merged = given
            if merged == nil {
                try loadAll.bind(1, sid)
                while try loadAll.step() {
                    let p = Self.readPartial(loadAll, from: 0)
                    if merged == nil { merged = p } else { merged!.merge(p) }
                }
                loadAll.reset()
                try clear.bind(1, sid)
                try clear.run()
                stats.rowsDeleted += database.changes
            }
            guard let m = merged else {
                try delete.bind(1, sid)
                try delete.run()
                stats.rowsDeleted += database.changes
                continue
            }
            try save.bind(1, sid)
            try save.bind(2, m.eventCount)
            try save.bind(3, Timestamp.instant(m.firstMs))
            try save.bind(4, Timestamp.instant(m.lastMs))
            try save.bind(5, m.lastAgent ?? "unknown")
            try save.run()
            stats.rowsWritten += 1
            stats.sessionsRecomputed += 1
            for a in m.anomalies(session: sid) {
                try addAnomaly.bind([.text(a.sessionId), .text(a.kind.rawValue), .text(a.at), .text(a.details)])
                try addAnomaly.run()
                stats.rowsWritten += 1
            }
        }
        return stats
    }
}
