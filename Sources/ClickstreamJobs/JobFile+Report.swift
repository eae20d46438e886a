extension JobFile {
    /// `[report]`: after the queries, write the HTML report of the window to `<output_dir>/<day>.html`, where
    /// `<day>` is the window's first UTC day (the nightly job's `reports/2025-07-03.html`, beside its CSVs).
    public struct Report: Sendable, Equatable {
        public var outputDirectory: String
        public init(outputDirectory: String) { self.outputDirectory = outputDirectory }
    }

    /// The `[report]` table of a replay job: nil when absent or `enabled = false`. Kept apart from `parse` so the
    /// job file's reader can change under it (only `Reader`'s typed getters are used).
    static func parseReport(_ r: Reader, present: Bool) throws -> Report? {
        guard present else { return nil }
        try r.allowKeys("report", ["enabled", "output_dir"])
        guard try r.bool("report", "enabled") ?? true else { return nil }
        let dir = try r.string("report", "output_dir") ?? "reports"
        if dir.isEmpty { throw r.error("report", "output_dir", "must not be empty (leave it out for \"reports\")") }
        return Report(outputDirectory: dir)
    }
}
