import ArgumentParser
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamQueries
import ClickstreamRuns
import ClickstreamSamples
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate a seeded sample archive, replay it into the database and show two canned queries.",
        discussion: """
        The archive looks like production's: one JSON object per file under year=/month=/day=/hour= (not \
        zero-padded), with sessions, a skewed page mix, bots, bursts, some bad lines and duplicates. Running the \
        demo again replays the same events: nothing changes (the tables are a function of the distinct events).
        """)

    @Option(help: "Where to write the sample archive.")
    var dir: String = "demo-archive"

    @Option(parsing: .unconditional, help: "Distinct events to generate.")
    var events: Int = 20_000

    @Option(parsing: .unconditional, help: "Hours the sample covers, from 2025-07-03T05:00Z.")
    var hours: Int = 6

    @Option(help: "Random seed (same seed, same archive).")
    var seed: UInt64 = 42

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if events < 1 || events > 5_000_000 { throw ValidationError("--events must be between 1 and 5000000.") }
        if hours < 1 || hours > 24 * 31 { throw ValidationError("--hours must be between 1 and 744.") }
    }

    func run() throws {
        var options = SampleGenerator.Options()
        options.seed = seed
        options.events = events
        options.hours = hours
        let generator = SampleGenerator(options: options)
        let report: SampleGenerator.Report
        do { report = try generator.writeOneEventPerFile(to: dir) } catch {
            throw ClickstreamError(.sink, "demo archive \(dir)", error.localizedDescription)
        }
        if !store.logging.quiet {
            try Console.out("Wrote \(Plural.count(report.files, "file")) (\(Plural.count(report.distinctEvents, "distinct event")), "
                + "\(Plural.count(report.duplicates, "duplicate")), \(Plural.count(report.badLines, "bad line"))) to \(dir)/")
        }

        let from = options.startHourMs, to = options.startHourMs + Int64(hours) * 3_600_000
        let log = store.makeLog()
        let replay = ReplayOptions(sources: [.local(path: dir)], window: from..<to, databasePath: store.db,
                                   progress: log.showProgress, jsonLog: log.json, commandName: "demo")
        let summary = try Replay(options: replay, log: log).run()
        try Console.summary("replay_summary", summary.paragraph, summary.jsonFields, log: log)
        if store.logging.quiet || log.json { return }

        let catalog = QueryCatalog.locate()
        let day = String(Timestamp.instant(from).prefix(10))
        for (name, params) in [("top-pages", ["day": day, "limit": "10"]), ("anomalies", ["day": day])] {
            do {
                let q = try catalog.query(name)
                let result = try QueryRunner(path: store.db).run(q, arguments: params)
                try Console.out("\n\(q.title) — clickstream query \(name) " + params.sorted { $0.key < $1.key }.map { "--param \($0.key)=\($0.value)" }.joined(separator: " "))
                try Console.out(ResultFormatter.format(result, as: .table, maxWidth: Console.terminalWidth), terminator: "")
            } catch let e as ClickstreamError {
                throw e
            } catch {
                try Console.out("\n(could not run query \(name): \(error))")
            }
        }
    }
}
