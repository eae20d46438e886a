import ClickstreamCore

/// The S3 object manifest (`_s3_objects`): which objects fed the store, and for which span of event time.
///
/// One row per object: its ETag and size when it was read, the partition hour its prefix names (nil outside any
/// partition) and `[covered_from, covered_to)`, the event-time span whose events of this object are in the store.
/// A later replay may skip an object only when its ETag and size are unchanged and its window lies inside that
/// span; anything else (a changed object, a wider window) is read again, which is always safe because ingest is
/// idempotent. Rows are written by the same transaction as the aggregates they describe.
extension Store {
    public struct ObjectManifestEntry: Equatable, Sendable {
        public var bucket: String
        public var key: String
        public var etag: String
        public var size: Int64
        /// Epoch milliseconds of the partition hour the key's prefix names, if any.
        public var hour: Int64?
        /// The event-time window this object was read for.
        public var covered: Range<Int64>

        public init(bucket: String, key: String, etag: String, size: Int64, hour: Int64?, covered: Range<Int64>) {
            self.bucket = bucket
            self.key = key
            self.etag = etag
            self.size = size
            self.hour = hour
            self.covered = covered
        }

        /// Whether a read of this object over `window` would add nothing the store does not already hold.
        public func covers(etag: String, size: Int64, window: Range<Int64>) -> Bool {
            self.etag == etag && self.size == size && covered.lowerBound <= window.lowerBound && window.upperBound <= covered.upperBound
        }
    }

    static let objectManifestSQL = """
        CREATE TABLE IF NOT EXISTS _s3_objects (
            bucket TEXT NOT NULL, key TEXT NOT NULL, etag TEXT NOT NULL, size INTEGER NOT NULL, hour INTEGER,
            covered_from INTEGER NOT NULL, covered_to INTEGER NOT NULL, run_id INTEGER,
            PRIMARY KEY (bucket, key)) WITHOUT ROWID;
        """

    /// Every manifest row of `bucket` whose key starts with `prefix`, by key.
    public func objectManifest(bucket: String, prefix: String) throws -> [String: ObjectManifestEntry] {
        try database.execute(Self.objectManifestSQL)
        let st = try database.cachedStatement("""
            SELECT key, etag, size, hour, covered_from, covered_to FROM _s3_objects
            WHERE bucket = ? AND substr(key, 1, ?) = ?
            """)
        try st.bind([.text(bucket), .integer(Int64(prefix.utf8.count)), .text(prefix)])
        var out: [String: ObjectManifestEntry] = [:]
        while try st.step() {
            let key = st.string(0)
            out[key] = ObjectManifestEntry(bucket: bucket, key: key, etag: st.string(1), size: st.int(2),
                                           hour: st.optionalInt(3), covered: st.int(4)..<st.int(5))
        }
        return out
    }

    /// Records that `entries` were read (call inside the transaction that applies their events). An existing row
    /// for the same object, ETag and size whose span touches the new one is widened to their union; otherwise
    /// the row is replaced.
    public func recordObjects(_ entries: [ObjectManifestEntry], runId: Int64?) throws {
        guard !entries.isEmpty else { return }
        try database.execute(Self.objectManifestSQL)
        let find = try database.cachedStatement("SELECT etag, size, covered_from, covered_to FROM _s3_objects WHERE bucket = ? AND key = ?")
        let upsert = try database.cachedStatement("INSERT OR REPLACE INTO _s3_objects VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        for e in entries {
            var covered = e.covered
            find.reset()
            try find.bind([.text(e.bucket), .text(e.key)])
            if try find.step(), find.string(0) == e.etag, find.int(1) == e.size {
                let old = find.int(2)..<find.int(3)
                if old.lowerBound <= covered.upperBound && covered.lowerBound <= old.upperBound {
                    covered = min(old.lowerBound, covered.lowerBound)..<max(old.upperBound, covered.upperBound)
                }
            }
            find.reset()
            upsert.reset()
            try upsert.bind([.text(e.bucket), .text(e.key), .text(e.etag), .integer(e.size), e.hour.map { .integer($0) } ?? .null,
                             .integer(covered.lowerBound), .integer(covered.upperBound), runId.map { .integer($0) } ?? .null])
            try upsert.run()
        }
    }

    /// Forgets the manifest rows whose span touches `window` (for `--rebuild`: those objects are read again).
    @discardableResult
    public func forgetObjects(window: Range<Int64>) throws -> Int {
        try database.execute(Self.objectManifestSQL)
        let st = try database.cachedStatement("DELETE FROM _s3_objects WHERE covered_from < ? AND ? < covered_to")
        try st.bind([.integer(window.upperBound), .integer(window.lowerBound)])
        try st.run()
        return database.changes
    }
}
