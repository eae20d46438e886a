import CSQLite
import ClickstreamCore
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The SQLite results store. `apply` adds what an `Aggregation` holds to the tables; `forget` removes whole hours
/// (for `--rebuild`). Both expect to run inside a transaction the caller opens (`transaction`), so that
/// a run — or a streaming batch together with its shard checkpoints — commits as a whole or not at all.
public final class Store {
    public let database: Database
    /// Seconds added to a counter minute's end to make its `ttl` (DESIGN.md §4; default 24 h).
    public var retentionSeconds: Int64 = 86_400

    /// The per-hour fingerprint sets, with the hours this process touched last kept in memory.
    let seen: SeenSets

    public init(path: String) throws {
        Database.configureLibrary()
        database = try Database(path: path)
        seen = SeenSets(database)
        database.setBusyTimeout(5_000)
        // WAL: analysts read while a run or the stream writes, and the stream's frequent commits need no fsync.
        // 8 KiB pages (new databases only) and a cache of up to 256 MiB (a run's pages are not spilled before
        // commit) took the 2M-event replay from 2.3 s to 1.8 s. A rollback journal would commit that run ~0.17 s
        // faster (one write of the pages instead of WAL + checkpoint) but block readers at every commit.
        try database.execute("""
            PRAGMA page_size = 8192; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;
            PRAGMA cache_size = -262144;
            """)
        try database.execute(Schema.sql)
        try database.execute("INSERT OR IGNORE INTO _meta VALUES ('schema_version', '\(Schema.version)')")
        let version = try database.prepare("SELECT value FROM _meta WHERE key = 'schema_version'")
        if try version.step(), version.string(0) != String(Schema.version) {
            throw StoreError.schemaVersion(path: path, found: version.string(0), expected: Schema.version)
        }
    }

    /// Runs `body` in one transaction (`BEGIN IMMEDIATE` … `COMMIT`); on failure rolls back and drops what the
    /// store remembered in memory about its own writes.
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        do {
            return try database.transaction(body)
        } catch {
            seen.reset()
            throw error
        }
    }

    /// Row counts written by one `apply` or `forget`.
    public struct WriteStats: Equatable, Sendable {
        public var rowsWritten = 0
        public var rowsDeleted = 0
        public var sessionsRecomputed = 0
        public init() {}
        public mutating func add(_ o: WriteStats) {
            rowsWritten += o.rowsWritten
            rowsDeleted += o.rowsDeleted
            sessionsRecomputed += o.sessionsRecomputed
        }
    }

    // MARK: ingest

    private var traceMark = DispatchTime.now()
    private static let tracing = getenv("CLICKSTREAM_TRACE") != nil
    private func trace(_ phase: String) {
        guard Self.tracing else { return }
        let now = DispatchTime.now()
        // write(2) on descriptor 2: C's `stderr` is a mutable global, which Swift 6 rejects.
        var line = "trace:   \(phase) \(Double(now.uptimeNanoseconds - traceMark.uptimeNanoseconds) / 1e9) s\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        traceMark = now
    }

    /// What one run's applies (all in one transaction) know about each other: whether the session partials were
    /// empty when the run began, and which sessions the run has written. A session that is in neither can have no
    /// stored rows, so its totals come from memory instead of a read-back.
    public final class RunContext {
        var startedEmpty: Bool?
        var touchedSessions = Set<UInt64>()
        public init() {}
    }

    /// Adds the distinct new events of `aggregation` to every table. Call inside a transaction; pass the same
    /// `context` to every apply of one transaction.
    public func apply(_ aggregation: Aggregation, runId: Int64?, context: RunContext = RunContext(),
                      precomputed: [Int64: HourAggregate] = [:]) throws -> (WriteStats, IngestStats) {
        var stats = WriteStats()
        traceMark = DispatchTime.now()
        var ingest = aggregation.stats
        let hours = aggregation.hours

        // An `event_id` stored in a neighbouring hour (by an earlier chunk or run) is the same event: such keys
        // count as already seen. (Copies within this aggregation were settled by `Aggregation`; copies more than
        // an hour apart are not looked for.) Hours aggregated ahead that meet one are aggregated again here.
        var neighbourIds: [Int64: [UInt64]] = [:]
        for h in hours {
            let ids = aggregation.idKeys(hour: h)
            guard !ids.isEmpty else { continue }
            var stored = Set<UInt64>()
            for n in [h - 1, h + 1] {
                for k in try seen.load(hour: n) where k & EventRecord.idKeyBit != 0 { stored.insert(k) }
            }
            let met = ids.filter { stored.contains($0) }
            if !met.isEmpty { neighbourIds[h] = met }
        }
        // Stored fingerprints of the touched hours that were not aggregated ahead, then those hours in parallel.
        let pending = hours.filter { precomputed[$0] == nil || neighbourIds[$0] != nil }
        // Neighbours' ids are only lent to the dedupe: they are not added to this hour's set, and an hour with
        // nothing stored of its own is still fresh.
        var existing: [[UInt64]] = []
        var fresh: [Bool] = []
        for h in pending {
            let stored = try seen.load(hour: h)
            fresh.append(stored.isEmpty)
            existing.append(stored + (neighbourIds[h] ?? []))
        }
        var computed = aggregation.aggregate(hours: pending, existing: existing)
        existing = []
        for (i, h) in pending.enumerated() { computed[h]!.fresh = fresh[i] }
        for (h, a) in precomputed where computed[h] == nil { computed[h] = a }
        let aggregates = hours.map { computed[$0]! }

        for a in aggregates {
            ingest.distinctNew += a.distinctNew
            ingest.duplicates += a.duplicates
            guard a.distinctNew > 0 else { continue }
            try seen.append(hour: a.hour, a.newFingerprints)
            stats.rowsWritten += 1
        }

        trace("aggregate+seen")
        stats.add(try writePages(aggregates, aggregation))
        trace("pages")
        stats.add(try writeCounters(aggregates, aggregation))
        trace("counters")
        stats.add(try writeSessions(aggregates, aggregation, context))
        trace("sessions")
        stats.rowsWritten += try writeQuarantine(aggregation.quarantine, runId: runId)
        return (stats, ingest)
    }

    private func writePages(_ aggregates: [HourAggregate], _ g: Aggregation) throws -> WriteStats {
        var stats = WriteStats()
        let st = try database.cachedStatement("""
            INSERT INTO page_metrics (page_url, timestamp_hour, view_count) VALUES (?, ?, ?)
            ON CONFLICT DO UPDATE SET view_count = view_count + excluded.view_count
            """)
        for a in aggregates where !a.pages.isEmpty {
            let hourKey = Timestamp.hourKey(a.hourStartMs)
            for p in a.pages {
                try g.pages.withBytes(of: p.page) { try st.bindText(1, $0) }
                try st.bind(2, hourKey)
                try st.bind(3, p.count)
                try st.run()
                stats.rowsWritten += 1
            }
        }
        return stats
    }

    /// Writes counter rows. In a fresh hour (nothing stored before) rows are plain inserts whose total is the new
    /// count; otherwise they add to the stored row and read the total back, since `high_frequency_clicks` depends
    /// on the minute's total over every run.
    private func writeCounters(_ aggregates: [HourAggregate], _ g: Aggregation) throws -> WriteStats {
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
            try name.withUnsafeBytes { try upsert.bindTextNoCopy(1, $0) }
            try minuteKeys.key(minuteMs).withUnsafeBytes { try upsert.bindTextNoCopy(2, $0) }
            try upsert.bind(3, count)
            try upsert.bind(4, ttl)
            var total = Int64(count)
            if try upsert.step() { total = upsert.int(0) }
            upsert.reset()
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

    private func writeSessions(_ aggregates: [HourAggregate], _ g: Aggregation, _ context: RunContext) throws -> WriteStats {
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

    private func writeQuarantine(_ q: [QuarantineRecord], runId: Int64?) throws -> Int {
        guard !q.isEmpty else { return 0 }
        let st = try database.cachedStatement("""
            INSERT OR REPLACE INTO quarantine (run_id, source, location, reason, message, raw) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for r in q {
            try st.bind(1, runId)
            try st.bind(2, r.source)
            try st.bind(3, r.location)
            try st.bind(4, r.reason.rawValue)
            try st.bind(5, r.message)
            try r.raw.withUnsafeBytes { try st.bindBlob(6, $0) }
            try st.run()
        }
        return q.count
    }

    /// Hours (indexes) that hold stored events. An hour outside this set, and not yet ingested by the current run,
    /// has nothing stored: it can be aggregated without reading the store (ahead of the writer).
    public func storedHours() throws -> Set<Int64> {
        let st = try database.cachedStatement("SELECT DISTINCT hour FROM _seen")
        var out = Set<Int64>()
        while try st.step() { out.insert(st.int(0)) }
        return out
    }

    // MARK: rebuild

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
        stats.add(try recomputeSessions(sessions.map { ($0, nil) }))
        seen.forget(hours: hours)
        return stats
    }
}
