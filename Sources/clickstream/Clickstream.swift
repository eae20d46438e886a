import ArgumentParser

/// The `clickstream` command: replay, stream, run jobs, query, export, merge, demo.
struct Clickstream: ParsableCommand {
    /// Printed by `--version`; bumped with each release.
    static let version = "0.12.0"

    static let configuration = CommandConfiguration(
        commandName: "clickstream",
        abstract: "Recompute clickstream tables exactly from the S3 archive or Kinesis, and query them.",
        discussion: """
        TIME is ISO 8601 (2025-07-03T05:00:00Z, offsets allowed), a date (2025-07-03 = its midnight UTC), or \
        relative: now, today, yesterday, -6h, -30m, -7d (written after its flag: --from -6h). Windows are \
        half-open [from, to) on event time. The database is --db, else $CLICKSTREAM_DB, else clickstream.sqlite.
        Exit codes: 0 done (quarantined records are reported, not fatal); 1 a source, the database or an output \
        failed; 2 usage or configuration error, or the database is in use by another writer.
        """,
        version: version,
        subcommands: [ReplayCommand.self, StreamCommand.self, RunCommand.self, QueryCommand.self, ExportCommand.self, MergeCommand.self,
                      DemoCommand.self, StatusCommand.self, ReportCommand.self])
}
