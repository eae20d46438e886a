import ClickstreamCore

/// Everything a run (or one streamed batch) adds for one session: its event counts per minute and its partial
/// aggregate per hour, both ascending. The session tables are written one group at a time in byte order of the
/// session ids, so `counters`, `_session_hours`, `session_metrics` and `anomalies` each grow at their right edge,
/// and each session is written once per run however many batches touched it.
struct SessionGroup {
    var session: [UInt8]
    var minutes: [(minuteMs: Int64, count: Int64)] = []
    var hours: [(hour: Int64, partial: SessionPartial)] = []

    var sessionString: String { String(decoding: session, as: UTF8.self) }

    /// Adds another group of the same session (from another batch): counts of a shared minute add up, partials of
    /// a shared hour merge (they hold disjoint sets of events: every event was deduplicated against its hour).
    mutating func absorb(_ o: SessionGroup) {
        minutes = Self.mergeSorted(minutes, o.minutes, key: \.minuteMs) { ($0.minuteMs, $0.count + $1.count) }
        hours = Self.mergeSorted(hours, o.hours, key: \.hour) { a, b in
            var p = a.partial
            p.merge(b.partial)
            return (a.hour, p)
        }
    }

    private static func mergeSorted<T>(_ a: [T], _ b: [T], key: (T) -> Int64, combine: (T, T) -> T) -> [T] {
        if b.isEmpty { return a }
        if a.isEmpty { return b }
        var out: [T] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && key(a[i]) < key(b[j])) {
                out.append(a[i]); i += 1
            } else if i == a.count || key(b[j]) < key(a[i]) {
                out.append(b[j]); j += 1
            } else {
                out.append(combine(a[i], b[j])); i += 1; j += 1
            }
        }
        return out
    }

    // MARK: spill encoding: [u32 length of the rest][u16 id length][id][u32 minutes][u32 hours] minutes… hours…

    func encode(into out: inout [UInt8]) {
        let start = out.count
        Self.put(UInt32(0), &out)
        Self.put(UInt16(session.count), &out)
        out.append(contentsOf: session)
        Self.put(UInt32(minutes.count), &out)
        Self.put(UInt32(hours.count), &out)
        for m in minutes {
            Self.put(m.minuteMs, &out)
            Self.put(m.count, &out)
        }
        for h in hours {
            let p = h.partial
            Self.put(h.hour, &out)
            Self.put(p.eventCount, &out)
            Self.put(p.firstMs, &out)
            Self.put(p.lastMs, &out)
            Self.put(p.lastAgent, &out)
            Self.put(p.botMs ?? Int64.min, &out)
            Self.put(p.botAgent, &out)
            out.append(UInt8(p.early.count))
            for t in p.early { Self.put(t, &out) }
            out.append(UInt8(p.checkouts.count))
            for t in p.checkouts { Self.put(t, &out) }
        }
        let length = UInt32(out.count - start - 4)
        withUnsafeBytes(of: length.littleEndian) { for (k, b) in $0.enumerated() { out[start + k] = b } }
    }

    /// The group encoded at `offset` of `bytes`, moving `offset` past it; nil when `bytes` does not hold all of it.
    static func decode(_ bytes: UnsafeRawBufferPointer, at offset: inout Int) -> SessionGroup? {
        guard offset + 4 <= bytes.count else { return nil }
        var c = offset
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: c, as: UInt32.self)))
        guard offset + 4 + length <= bytes.count else { return nil }
        c += 4
        func int() -> Int64 {
            defer { c += 8 }
            return Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: c, as: Int64.self))
        }
        func string() -> String? {
            let n = Int(Int32(truncatingIfNeeded: int()))
            guard n >= 0 else { return nil }
            defer { c += n }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[c..<(c + n)]), as: UTF8.self)
        }
        let idLength = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: c, as: UInt16.self)))
        c += 2
        var group = SessionGroup(session: Array(bytes[c..<(c + idLength)]))
        c += idLength
        let minuteCount = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: c, as: UInt32.self)))
        let hourCount = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: c + 4, as: UInt32.self)))
        c += 8
        group.minutes.reserveCapacity(minuteCount)
        for _ in 0..<minuteCount {
            let m = int()
            group.minutes.append((m, int()))
        }
        group.hours.reserveCapacity(hourCount)
        for _ in 0..<hourCount {
            let hour = int(), count = int(), first = int(), last = int()
            let lastAgent = string()
            let bot = int()
            let botAgent = string()
            var early: [Int64] = [], checkouts: [Int64] = []
            let earlyCount = Int(bytes[c]); c += 1
            for _ in 0..<earlyCount { early.append(int()) }
            let checkoutCount = Int(bytes[c]); c += 1
            for _ in 0..<checkoutCount { checkouts.append(int()) }
            group.hours.append((hour, SessionPartial(eventCount: count, firstMs: first, lastMs: last, lastAgent: lastAgent,
                                                     botMs: bot == .min ? nil : bot, botAgent: botAgent,
                                                     early: early, checkouts: checkouts)))
        }
        offset = c
        return group
    }

    private static func put<T: FixedWidthInteger>(_ v: T, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func put(_ s: String?, _ out: inout [UInt8]) {
        guard let s else { put(Int64(-1), &out); return }
        put(Int64(s.utf8.count), &out)
        out.append(contentsOf: s.utf8)
    }
}
