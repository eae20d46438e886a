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

    @Option(help: "Distinct events to generate.")
    var events: Int = 20_000

    @Option(help: "Hours the sample covers, from 2025-07-03T05:00Z.")
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
        print("Wrote \(report.files) files (\(report.distinctEvents) distinct events, \(report.duplicates) duplicates, \(report.badLines) bad lines) to \(dir)/")

        let from = options.startHourMs, to = options.startHourMs + Int64(hours) * 3_600_000
        let log = store.makeLog()
        let replay = ReplayOptions(sources: [.local(path: dir)], window: from..<to, databasePath: store.db,
                                   progress: log.showProgress, jsonLog: log.json, commandName: "demo")
        let summary = try Replay(options: replay, log: log).run()
        print(summary.paragraph)

        let catalog = QueryCatalog.locate()
        let day = String(Timestamp.instant(from).prefix(10))
        for (name, params) in [("top-pages", ["day": day, "limit": "10"]), ("anomalies", ["day": day])] {
            do {
                let q = try catalog.query(name)
                let result = try QueryRunner(path: store.db).run(q, arguments: params)
                print("\n\(q.title) — clickstream query \(name) " + params.sorted { $0.key < $1.key }.map { "--param \($0.key)=\($0.value)" }.joined(separator: " "))
                print(ResultFormatter.format(result, as: .table), terminator: "")
            } catch {
                print("\n(could not run query \(name): \(error))")
            }
        }
    }
}
