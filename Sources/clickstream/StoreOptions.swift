import ArgumentParser
import ClickstreamPipeline
import Foundation

/// Options every command that touches the store shares: the database, and how the command logs.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp("SQLite results database (default: $CLICKSTREAM_DB, else clickstream.sqlite).",
                                                          valueName: "file"),
            completion: .file(extensions: ["sqlite", "db"]))
    var explicitDB: String?

    @Flag(name: .customLong("init"), help: "Writers: add clickstream's tables to an existing SQLite database it did not make (refused without it).")
    var adoptForeign = false

    @OptionGroup var logging: LogOptions

    /// `--db`, else `DefaultDatabase` (`CLICKSTREAM_DB`, else `clickstream.sqlite`).
    var db: String { explicitDB ?? DefaultDatabase.path(environment: ProcessInfo.processInfo.environment) }

    func validate() throws {
        if explicitDB?.isEmpty == true { throw ValidationError("--db must name a file.") }
    }

    func makeLog() -> Log { logging.makeLog() }
}
