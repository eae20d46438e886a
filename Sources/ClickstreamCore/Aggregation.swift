/// The one aggregation core every source feeds. Workers parse into `IngestBuffer`s; `Aggregation` merges them
/// (one set of interned strings, records bucketed by hour) and `aggregate(hour:existing:)` turns an hour's records
/// into the rows they add, after removing every event already in `existing` (the hour's stored fingerprints) or
/// seen earlier in the batch. Because rows depend only on the set of distinct events, any batching, order or
/// repetition of input gives the same tables.
///
/// Among events sharing an `event_id` in one batch, the one with the smallest content hash is kept, so the choice
/// does not depend on order; across batches and runs the first one ingested stays (its fingerprint is stored,
/// its fields are not).
public struct Aggregation: Sendable {
    public private(set) var sessions = Interner(capacity: 1 << 16)
    public private(set) var types = Interner(capacity: 16)
    public private(set) var pages = Interner(capacity: 1024)
    public private(set) var agents = Interner(capacity: 256)
    /// Records by hour index, with ids in this aggregation's interners.
    public private(set) var recordsByHour: [Int64: [EventRecord]] = [:]
    public private(set) var quarantine: [QuarantineRecord] = []
    public private(set) var stats = IngestStats()

    /// Rank of each session id in byte order of the session strings (index 0 unused): rows are written in key
    /// order, which SQLite appends fastest.
    public private(set) var sessionRank: [UInt32] = [0]

    private var pageViewType: UInt32 = 0
    private var checkoutPage: [Bool] = [false]
    private var botAgent: [Bool] = [false]

    public init() {}

    /// Takes the contents of `buffers` (emptying them to free memory as it goes).
    public mutating func absorb(_ buffers: inout [IngestBuffer]) {
        for i in buffers.indices {
            absorb(buffers[i])
            buffers[i] = IngestBuffer(window: buffers[i].window)
        }
        dropCrossHourIdDuplicates()
        rankSessions()
    }

    /// Copies of one `event_id` in different hours of this aggregation are one event: it is kept in the hour of
    /// the copy with the smallest (timestamp, content hash) — whatever the order — and the copies in other hours
    /// are dropped (counted as duplicates). Copies within one hour are left to `aggregate(hour:existing:)`.
    /// (Copies in hours stored by earlier runs are the store's business: see `Store.apply`.)
    public mutating func dropCrossHourIdDuplicates() {
        var best: [UInt64: (hour: Int64, ts: Int64, content: UInt64)] = [:]
        var spread = false
        for (hour, recs) in recordsByHour {
            for r in recs where r.hasEventId {
                if let b = best[r.key] {
                    if b.hour != hour { spread = true }
                    if (r.timestampMs, r.content) < (b.ts, b.content) { best[r.key] = (hour, r.timestampMs, r.content) }
                } else {
                    best[r.key] = (hour, r.timestampMs, r.content)
                }
            }
        }
        guard spread else { return }
        for (hour, recs) in recordsByHour {
            let kept = recs.filter { !$0.hasEventId || best[$0.key]!.hour == hour }
            if kept.count != recs.count {
                stats.duplicates += recs.count - kept.count
                recordsByHour[hour] = kept
            }
        }
    }

    /// `event_id` keys of `hour`'s records.
    public func idKeys(hour: Int64) -> [UInt64] {
        (recordsByHour[hour] ?? []).lazy.filter(\.hasEventId).map(\.key)
    }

    public mutating func absorb(_ buffer: IngestBuffer) {
        stats.add(buffer.stats)
        quarantine.append(contentsOf: buffer.quarantine)
        let s = remap(buffer.sessions, into: &sessions)
        let t = remap(buffer.types, into: &types)
        let p = remap(buffer.pages, into: &pages)
        let a = remap(buffer.agents, into: &agents)
        for r in buffer.records {
            var g = r
            g.session = s[Int(r.session)]
            g.type = t[Int(r.type)]
            g.page = p[Int(r.page)]
            g.agent = a[Int(r.agent)]
            recordsByHour[r.hour, default: []].append(g)
        }
        refreshFlags()
    }

    /// Recomputes `sessionRank` (call after the last `absorb` of single buffers; `absorb(_: inout)` does).
    public mutating func rankSessions() {
        let n = sessions.count
        var ids = n == 0 ? [] : Array(UInt32(1)...UInt32(n))
        let interner = sessions
        ids.sort { interner.less($0, $1) }
        sessionRank = [UInt32](repeating: 0, count: n + 1)
        for (i, id) in ids.enumerated() { sessionRank[Int(id)] = UInt32(i + 1) }
    }

    private func remap(_ local: Interner, into global: inout Interner) -> [UInt32] {
        var map = [UInt32](repeating: 0, count: local.count + 1)
        if local.count == 0 { return map }
        for id in 1...UInt32(local.count) {
            map[Int(id)] = local.withBytes(of: id) { global.intern($0, hash: local.hash(of: id)) }
        }
        return map
    }

    private mutating func refreshFlags() {
        pageViewType = "page_view".utf8.withContiguousStorageIfAvailable { b in
            types.lookup(UnsafeRawBufferPointer(b), hash: FieldHash.hash(UnsafeRawBufferPointer(b), seed: IngestBuffer.seedType))
        }! ?? 0
        if checkoutPage.count <= pages.count {
            for id in checkoutPage.count...pages.count {
                checkoutPage.append(pages.withBytes(of: UInt32(id)) { AnomalyRules.isCheckout($0) })
            }
        }
        if botAgent.count <= agents.count {
            for id in botAgent.count...agents.count {
                botAgent.append(agents.withBytes(of: UInt32(id)) { AnomalyRules.isBot($0) })
            }
        }
    }

    /// Hours that hold records, ascending.
    public var hours: [Int64] { recordsByHour.keys.sorted() }

    /// The rows that `hour`'s distinct new events add. `existing` is the hour's stored fingerprint set.
    /// Pure and read-only: safe to call concurrently for different hours.
    public func aggregate(hour: Int64, existing: [UInt64]) -> HourAggregate {
        let recs = recordsByHour[hour] ?? []
        var out = HourAggregate(hour: hour)
        out.fresh = existing.isEmpty
        guard !recs.isEmpty else { return out }

        // Dedupe: open addressing on the fingerprint; slot value 0 = empty, -1 = stored earlier, i+1 = recs[i].
        var size = 16
        while size < (existing.count + recs.count) * 2 { size <<= 1 }
        let mask = size - 1
        var keys = [UInt64](repeating: 0, count: size)
        var vals = [Int32](repeating: 0, count: size)
        for k in existing {
            var i = Int(truncatingIfNeeded: FieldHash.mix(k, 0x9E37_79B9_7F4A_7C15)) & mask
            while vals[i] != 0 && keys[i] != k { i = (i + 1) & mask }
            keys[i] = k
            vals[i] = -1
        }
        var duplicates = 0
        for (idx, r) in recs.enumerated() {
            var i = Int(truncatingIfNeeded: FieldHash.mix(r.key, 0x9E37_79B9_7F4A_7C15)) & mask
            while vals[i] != 0 && keys[i] != r.key { i = (i + 1) & mask }
            if vals[i] == 0 {
                keys[i] = r.key
                vals[i] = Int32(idx + 1)
            } else {
                duplicates += 1
                let j = Int(vals[i]) - 1
                if j >= 0 && r.content < recs[j].content { vals[i] = Int32(idx + 1) }
            }
        }
        out.duplicates = duplicates

        // Distinct new records grouped by session, sessions in string order: sort (rank << 32 | index).
        precondition(sessionRank.count == sessions.count + 1, "rankSessions() must follow absorb(_:)")
        var order: [UInt64] = []
        order.reserveCapacity(recs.count - duplicates)
        var newKeys: [UInt64] = []
        newKeys.reserveCapacity(recs.count - duplicates)
        for i in 0..<size where vals[i] > 0 {
            let idx = Int(vals[i]) - 1
            order.append(UInt64(sessionRank[Int(recs[idx].session)]) << 32 | UInt64(idx))
            newKeys.append(keys[i])
        }
        RadixSort.sort(&order)
        out.distinctNew = order.count
        out.newFingerprints = newKeys

        let hourStart = hour * 3_600_000
        var pageCounts: [UInt32: Int] = [:]
        var typeMinute = [Int](repeating: 0, count: (types.count + 1) * 60)
        var minuteCount = [Int](repeating: 0, count: 60)
        var checkoutTimes: [Int64] = []
        var g = 0
        while g < order.count {
            let rank = order[g] >> 32
            let session = recs[Int(truncatingIfNeeded: order[g] & 0xFFFF_FFFF)].session
            var e = g
            while e < order.count && order[e] >> 32 == rank { e += 1 }
            var count: Int64 = 0
            var first = Int64.max, last = Int64.min
            var lastAgent: UInt32 = 0
            var botMs = Int64.max
            var botAgentId: UInt32 = 0
            var early: [Int64] = []
            checkoutTimes.removeAll(keepingCapacity: true)
            for k in g..<e {
                let r = recs[Int(truncatingIfNeeded: order[k] & 0xFFFF_FFFF)]
                count += 1
                let ts = r.timestampMs
                first = min(first, ts)
                if ts > last || (ts == last && agentGreater(r.agent, lastAgent)) {
                    last = ts
                    lastAgent = r.agent
                }
                if botAgent[Int(r.agent)] && (ts < botMs || (ts == botMs && agentGreater(r.agent, botAgentId))) {
                    botMs = ts
                    botAgentId = r.agent
                }
                Self.insertEarly(ts, into: &early)
                let minute = Int((ts - hourStart) / 60_000)
                minuteCount[minute] += 1
                typeMinute[Int(r.type) * 60 + minute] += 1
                if r.type == pageViewType && pageViewType != 0 {
                    pageCounts[r.page, default: 0] += 1
                    if checkoutPage[Int(r.page)] { checkoutTimes.append(ts) }
                }
            }
            for m in 0..<60 where minuteCount[m] != 0 {
                out.sessionMinutes.append((session, hourStart + Int64(m) * 60_000, minuteCount[m]))
                minuteCount[m] = 0
            }
            let partial = SessionPartial(
                eventCount: count, firstMs: first, lastMs: last,
                lastAgent: lastAgent == 0 ? nil : agents.string(of: lastAgent),
                botMs: botMs == .max ? nil : botMs,
                botAgent: botMs == .max ? nil : agents.string(of: botAgentId),
                early: early, checkouts: Self.sortedUnique(&checkoutTimes))
            out.sessions.append((session, partial))
            g = e
        }
        out.pages = pageCounts.map { ($0.key, $0.value) }.sorted { $0.page < $1.page }
        if types.count > 0 {
            for t in 1...types.count {
                for m in 0..<60 where typeMinute[t * 60 + m] != 0 {
                    out.typeMinutes.append((UInt32(t), hourStart + Int64(m) * 60_000, typeMinute[t * 60 + m]))
                }
            }
        }
        return out
    }

    @inline(__always)
    private func agentGreater(_ a: UInt32, _ b: UInt32) -> Bool {
        if a == b || a == 0 { return false }
        if b == 0 { return true }
        return agents.less(b, a)
    }

    @inline(__always)
    static func insertEarly(_ ts: Int64, into early: inout [Int64]) {
        if early.count < 3 {
            early.append(ts)
            early.sort()
        } else if ts < early[2] {
            early[2] = ts
            early.sort()
        }
    }

    static func sortedUnique(_ values: inout [Int64]) -> [Int64] {
        if values.count < 2 { return values }
        values.sort()
        var out: [Int64] = [values[0]]
        for v in values.dropFirst() where v != out[out.count - 1] { out.append(v) }
        return out
    }
}
