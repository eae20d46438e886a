import ArgumentParser
import ClickstreamPipeline
import ClickstreamRuns

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine partial databases (the parts of a partitioned replay) into one, exactly.",
        discussion: """
        PART is a database file, or s3://bucket/prefix/ for every .sqlite object under the prefix (each checked \
        against the SHA-256 it was uploaded with). The result equals one replay of the whole window, table by \
        table; merging is idempotent and order-independent, and a part may go into a database that already holds \
        an overlapping replay. Parts of different backfills (sources, window or COUNT) are refused, and so is an \
        incomplete set: every INDEX of COUNT must be present (from S3, exactly once), else exit 1 naming the \
        missing partitions and nothing is merged.
        """)

    @Argument(help: ArgumentHelp("Part databases, or s3://bucket/prefix/.", valueName: "part"), completion: .file(extensions: ["sqlite"]))
    var parts: [String]

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if store.db.hasPrefix("s3://") { throw ValidationError("--db must be a local file for merge (export it or copy it afterwards).") }
    }

    func run() throws {
        let log = store.makeLog()
        let summary = try PartMerge(options: .init(parts: parts, databasePath: store.db), log: log).run()
        try Console.summary("merge_summary", summary.paragraph, summary.jsonFields, log: log)
    }
}
