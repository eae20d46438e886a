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
    /// Seconds added to a counter minute's end to make its `ttl` (README "Tables"; default 24 h).
    public var retentionSeconds: Int64 = 86_400

    /// The per-hour fingerprint sets, with the hours this process touched last kept in memory.
    let seen: SeenSets

    /// `lock`, the writer's lock on this file, is kept until the connection is closed (see `StoreLock`).
    /// A database clickstream did not make is refused (`StoreError.foreign`) unless `adoptForeign` (`--init`).
    public init(path: String, lock: StoreLock? = nil, adoptForeign: Bool = false) throws {
        Database.configureLibrary()
        database = try Database(path: path)
        database.keepAlive = lock
        if !adoptForeign {
            // Before any PRAGMA: journal_mode = WAL would already change someone else's database.
            let st = try database.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            var tables: [String] = []
            while try st.step() { tables.append(st.string(0) ?? "") }
            if !tables.isEmpty && !tables.contains("_meta") { throw StoreError.foreign(path: path, tables: tables) }
        }
        seen = SeenSets(database)
        database.setBusyTimeout(5_000)
        // WAL: analysts read while a run or the stream writes, and the stream's frequent commits need no fsync.
        // 8 KiB pages (new databases only). A cache of 64 MiB: a whole run writes its big tables only at its end,
        // in key order (see `finishRun`), so pages it spills are never revisited and a larger cache only grows the
        // peak memory with the window (256 MiB took the 8M-event replay to 358 MiB peak, 64 MiB to 196 MiB).
        // A rollback journal would commit a run into a new file faster (one write of the pages instead of WAL +
        // checkpoint) but block readers at every commit.
        try database.execute("""
            PRAGMA page_size = 8192; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;
            PRAGMA cache_size = -65536;
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
    public func transaction<R>(committing: (() throws -> Void) throws -> Void = { try $0() }, _ body: () throws -> R) throws -> R {
        do {
            return try database.transaction(committing: committing, body)
        } catch {
            seen.reset()
            throw error
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

    /// Adds the distinct new events of `aggregation` to every table. Call inside a transaction; pass the same
    /// `context` to every apply of one transaction.
    public func apply(_ aggregation: Aggregation, runId: Int64?, context: RunContext = RunContext(),
                      precomputed: [Int64: HourAggregate] = [:]) throws -> (WriteStats, IngestStats) {
        var stats = WriteStats()
        traceMark = DispatchTime.now()
        if context.startedEmpty == nil {
            context.startedEmpty = try database.cachedScalarInt("SELECT EXISTS (SELECT 1 FROM _session_hours)") == 0
            context.storedAtStart = try storedHours()
        }
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
        stats.add(try writeTypeCounters(aggregates, aggregation))
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
}
