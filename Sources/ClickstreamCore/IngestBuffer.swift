/// Where one worker collects the events it parsed: compact records with interned strings, plus rejections.
/// Not thread-safe: one buffer per worker; the aggregator merges buffers.
public struct IngestBuffer: Sendable {
    /// Half-open window `[from, to)` in epoch milliseconds; events outside it are counted and skipped.
    public let window: Range<Int64>
    public internal(set) var records: [EventRecord] = []
    public internal(set) var sessions = Interner(capacity: 4096)
    public internal(set) var types = Interner(capacity: 16)
    public internal(set) var pages = Interner(capacity: 1024)
    public internal(set) var agents = Interner(capacity: 256)
    public internal(set) var quarantine: [QuarantineRecord] = []
    public var stats = IngestStats()

    public init(window: Range<Int64>) {
        self.window = window
    }

    public var isEmpty: Bool { records.isEmpty && quarantine.isEmpty }

    static let seedType: UInt64 = 0x01, seedSession: UInt64 = 0x02, seedUser: UInt64 = 0x03, seedPage: UInt64 = 0x04
    static let seedAgent: UInt64 = 0x05, seedIP: UInt64 = 0x06, seedReferrer: UInt64 = 0x07, seedID: UInt64 = 0x08

    /// Adds one accepted event (its views need only live for this call).
    @inline(__always)
    public mutating func add(_ e: RawEvent) {
        stats.documents += 1
        guard window.contains(e.timestampMs) else {
            stats.outOfWindow += 1
            return
        }
        stats.inWindow += 1
        let hType = FieldHash.hash(e.eventType, seed: Self.seedType)
        let hSession = FieldHash.hash(e.sessionId, seed: Self.seedSession)
        let hPage = FieldHash.hash(optional: e.pageUrl, seed: Self.seedPage)
        let hAgent = FieldHash.hash(optional: e.userAgent, seed: Self.seedAgent)
        var content = FieldHash.combine(hType, hSession)
        content = FieldHash.combine(content, FieldHash.hash(optional: e.userId, seed: Self.seedUser))
        content = FieldHash.combine(content, UInt64(bitPattern: e.timestampMs))
        content = FieldHash.combine(content, hPage)
        content = FieldHash.combine(content, hAgent)
        content = FieldHash.combine(content, FieldHash.hash(optional: e.ipAddress, seed: Self.seedIP))
        content = FieldHash.combine(content, FieldHash.hash(optional: e.referrer, seed: Self.seedReferrer))
        let key: UInt64
        if let id = e.eventId {
            key = FieldHash.hash(id, seed: Self.seedID) | EventRecord.idKeyBit
        } else {
            key = (content ^ 0x5555_5555_5555_5555) & ~EventRecord.idKeyBit
        }
        records.append(EventRecord(
            key: key, content: content, timestampMs: e.timestampMs,
            session: sessions.intern(e.sessionId, hash: hSession),
            type: types.intern(e.eventType, hash: hType),
            page: e.pageUrl.map { pages.intern($0, hash: hPage) } ?? 0,
            agent: e.userAgent.map { agents.intern($0, hash: hAgent) } ?? 0))
    }

    /// Records a rejected document, at `line` of its object (after `locationPrefix`, e.g. `sequence N `).
    public mutating func reject(_ rejection: Rejection, source: String, locationPrefix: String = "", line: Int,
                                raw: UnsafeRawBufferPointer) {
        stats.documents += 1
        stats.quarantined[rejection.reason, default: 0] += 1
        quarantine.append(QuarantineRecord(source: source, location: locationPrefix, line: line, reason: rejection.reason,
                                           message: rejection.message, raw: raw))
    }

    /// Adds `offset` to the line numbers of the rejections at `indexes`: a segment of a large file numbers its
    /// lines from 1 until the lines before it are counted.
    public mutating func offsetLines(_ indexes: Range<Int>, by offset: Int) {
        guard offset != 0 else { return }
        for i in indexes { quarantine[i].line? += offset }
    }

    /// Records an object that could not be read at all (one row, none of its events count).
    public mutating func unreadable(source: String, message: String, location: String = "object") {
        stats.quarantined[.unreadable, default: 0] += 1
        quarantine.append(QuarantineRecord(source: source, location: location, reason: .unreadable,
                                           message: message, raw: UnsafeRawBufferPointer(start: nil, count: 0)))
    }
}
