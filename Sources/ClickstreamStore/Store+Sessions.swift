import ClickstreamCore

/// Sessions: the per-(session, hour) partials in `_session_hours`, and `session_metrics` with the session-level
/// anomalies recomputed from them; all written through `SessionTableWriter`.
extension Store {
    /// Writes (or, in a run that defers them, spills) the session groups of an apply.
    func writeSessions(_ aggregates: [HourAggregate], _ g: Aggregation, _ context: RunContext) throws -> WriteStats {
        let groups = Self.sessionGroups(aggregates, g)
        guard !groups.isEmpty else { return WriteStats() }
        if context.defersSessions {
            if context.spill == nil { context.spill = try SpillFile(beside: database.path) }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(groups.count * 96)
            for group in groups { group.encode(into: &bytes) }
            context.runs.append(try context.spill!.append(bytes))
            return WriteStats()
        }
        let stored = Set(aggregates.lazy.filter { !$0.fresh }.map(\.hour))
        let writer = try SessionTableWriter(database: database, retentionSeconds: retentionSeconds)
        for group in groups {
            try writer.write(group, stored: { stored.contains($0) }, whole: context.startedEmpty!)
        }
        return try writer.finish()
    }

    /// Writes the sessions a deferring run spilled: each session once, its groups from every batch merged, in id
    /// order. Call once, after the run's last apply and inside its transaction.
    public func finishRun(_ context: RunContext) throws -> WriteStats {
        guard let spill = context.spill else { return WriteStats() }
        var merge = try SpillMerge(spill, runs: context.runs)
        let writer = try SessionTableWriter(database: database, retentionSeconds: retentionSeconds)
        let stored = context.storedAtStart, whole = context.startedEmpty!
        while let group = try merge.next() {
            try writer.write(group, stored: { stored.contains($0) }, whole: whole)
        }
        context.spill = nil
        context.runs = []
        return try writer.finish()
    }

    /// The session groups of an apply's aggregates, in session id order: each session's minutes and hours ascending.
    static func sessionGroups(_ aggregates: [HourAggregate], _ g: Aggregation) -> [SessionGroup] {
        var byRank = [SessionGroup?](repeating: nil, count: g.sessions.count + 1)
        func group(_ session: UInt32) -> Int {
            let rank = Int(g.sessionRank[Int(session)])
            if byRank[rank] == nil { byRank[rank] = g.sessions.withBytes(of: session) { SessionGroup(session: Array($0)) } }
            return rank
        }
        // Aggregates come in hour order, and each one's minutes ascend: every group's lists come out sorted.
        for a in aggregates {
            for m in a.sessionMinutes { byRank[group(m.session)]!.minutes.append((m.minuteMs, Int64(m.count))) }
            for s in a.sessions { byRank[group(s.session)]!.hours.append((a.hour, s.partial)) }
        }
        return byRank.compactMap { $0 }
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

    /// Rewrites `session_metrics` and the session-level anomalies of `sessions` from their rows in
    /// `_session_hours` (after a rebuild forgot hours, or a merge added parts).
    func recomputeSessions(_ sessions: [String]) throws -> WriteStats {
        let writer = try SessionTableWriter(database: database, retentionSeconds: retentionSeconds)
        for sid in sessions { try writer.recompute(sid, nil) }
        return try writer.finish()
    }
}
