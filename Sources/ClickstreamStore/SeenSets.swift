/// The per-hour fingerprint sets (`_seen`): each apply appends its new fingerprints as one more part of the hour
/// (so a commit costs what it adds, not the size of the hour), loading concatenates the parts, and an hour found
/// in many parts is compacted into one when it is loaded from disk. The last few hours loaded or written are kept
/// in memory: a stream commits every second or so into the same hours, and only this process writes while it
/// holds the writer lock. The memory is dropped when a transaction rolls back (`Store.transaction`).
final class SeenSets {
    private let database: Database
    private var cache: [Int64: [UInt64]] = [:]
    private var recent: [Int64] = []
    /// Hours kept in memory (most recently used).
    static let cachedHours = 4
    /// An hour stored in more parts than this is rewritten as one part when loaded from disk.
    static let compactAbove = 16

    init(_ database: Database) {
        self.database = database
    }

    /// Every stored fingerprint of `hour`.
    func load(hour: Int64) throws -> [UInt64] {
        if let hit = cache[hour] {
            touch(hour)
            return hit
        }
        let st = try database.cachedStatement("SELECT fingerprints FROM _seen WHERE hour = ? ORDER BY part")
        try st.bind(1, hour)
        var out: [UInt64] = []
        var parts = 0
        while try st.step() {
            let b = st.blob(0)
            out.append(contentsOf: UnsafeBufferPointer(start: b.baseAddress?.assumingMemoryBound(to: UInt64.self), count: b.count / 8))
            parts += 1
        }
        if parts > Self.compactAbove {
            try execute("DELETE FROM _seen WHERE hour = ?", hour)
            try insert(hour: hour, part: 0, out)
        }
        remember(hour, out)
        return out
    }

    /// Adds `fingerprints` (new to the hour) as the hour's next part.
    func append(hour: Int64, _ fingerprints: [UInt64]) throws {
        let next = try database.cachedScalarInt("SELECT max(part) + 1 FROM _seen WHERE hour = ?", [.integer(hour)]) ?? 0
        try insert(hour: hour, part: next, fingerprints)
        if var known = cache[hour] {
            cache[hour] = nil // keep the array uniquely referenced while it grows
            known.append(contentsOf: fingerprints)
            remember(hour, known)
        } else if next == 0 {
            remember(hour, fingerprints)
        }
    }

    /// Drops the memory of `hours` (they were forgotten in the store).
    func forget(hours: Range<Int64>) {
        for h in cache.keys where hours.contains(h) { cache[h] = nil }
        recent.removeAll { hours.contains($0) }
    }

    /// Drops all memory (after a rollback the store may no longer hold what was remembered).
    func reset() {
        cache = [:]
        recent = []
    }

    private func insert(hour: Int64, part: Int64, _ fingerprints: [UInt64]) throws {
        let st = try database.cachedStatement("INSERT INTO _seen (hour, part, fingerprints) VALUES (?, ?, ?)")
        try st.bind(1, hour)
        try st.bind(2, part)
        try fingerprints.withUnsafeBytes { try st.bindBlob(3, $0) }
        try st.run()
    }

    private func execute(_ sql: String, _ hour: Int64) throws {
        let st = try database.cachedStatement(sql)
        try st.bind(1, hour)
        try st.run()
    }

    private func remember(_ hour: Int64, _ fingerprints: [UInt64]) {
        cache[hour] = fingerprints
        touch(hour)
        while recent.count > Self.cachedHours {
            cache[recent.removeFirst()] = nil
        }
    }

    private func touch(_ hour: Int64) {
        recent.removeAll { $0 == hour }
        recent.append(hour)
    }
}
