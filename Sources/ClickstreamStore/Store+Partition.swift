/// The partition manifest of a part's database, in `_meta`.
extension Store {
    /// Records `manifest` (call inside the transaction of the replay it describes, or right after it commits).
    public func writePartitionManifest(_ manifest: PartitionManifest) throws {
        let st = try database.cachedStatement("INSERT OR REPLACE INTO _meta (key, value) VALUES (?, ?)")
        for (k, v) in zip(PartitionManifest.keys, manifest.values) {
            try st.bind([.text(k), .text(v)])
            try st.run()
        }
    }

    /// The manifest, or nil in a database that is not a partition (a plain replay, a merge result).
    public func partitionManifest() throws -> PartitionManifest? {
        try Self.partitionManifest(database, schema: "main")
    }

    static func partitionManifest(_ database: Database, schema: String) throws -> PartitionManifest? {
        let st = try database.prepare("SELECT key, value FROM \(schema)._meta WHERE key LIKE 'partition.%'")
        var values: [String: String] = [:]
        while try st.step() { values[st.string(0)] = st.string(1) }
        return values.isEmpty ? nil : PartitionManifest(values: values)
    }

    /// Reads the manifest of the database file at `path` without opening it for writing (nil when it has none).
    public static func partitionManifest(atPath path: String) throws -> PartitionManifest? {
        Database.configureLibrary()
        let database = try Database(path: path, readOnly: true)
        let hasMeta = try database.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = '_meta'") ?? 0
        return hasMeta == 0 ? nil : try partitionManifest(database, schema: "main")
    }
}
