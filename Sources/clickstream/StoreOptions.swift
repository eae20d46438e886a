import ArgumentParser
import ClickstreamPipeline

/// Options every command that touches the store shares: the database, and how the command logs.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite results database.")
    var db: String = "clickstream.sqlite"

    @OptionGroup var logging: LogOptions

    func makeLog() -> Log { logging.makeLog() }
}
