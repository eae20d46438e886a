import ClickstreamCore
import ClickstreamPipeline
import ClickstreamRuns
import ClickstreamStore
import Foundation

/// `merge`: replays COUNT partitions of the generated archive (each in its own child process, as an array job
/// would), then merges them in this process, reporting the merge's time and this process's peak resident memory;
/// then checks the merged tables' row counts against one clean replay (also a child).
struct MergeBench {
    let events: Int
    let hours: Int
    let parts: Int
    let root: String

    func run() throws {
        let replayBench = ReplayBench(kind: "ndjson", shape: BenchShape(name: "sessions", events: events, sessions: nil)!,
                                      events: events, hours: hours, root: root, duckdb: false)
        let dir = try replayBench.generated()
        let partDir = "\(root)/merge-parts"
        try? FileManager.default.removeItem(atPath: partDir)
        try FileManager.default.createDirectory(atPath: partDir, withIntermediateDirectories: true)
        var paths: [String] = []
        var partSeconds: [Double] = []
        for i in 0..<parts {
            let db = "\(partDir)/part-\(i).sqlite"
            let t = Date()
            try replayBench.runChild(CommandLine.arguments[0], ["replay-part", "--dir", dir, "--db", db, "--hours", "\(hours)",
                                                                "--partition", "\(i)/\(parts)"])
            partSeconds.append(Date().timeIntervalSince(t))
            paths.append(db)
        }
        let partBytes = paths.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        print(String(format: "%d partitions replayed one after another: %.2f s in all (%.2f–%.2f s each, process start included), %d MiB of parts",
                     parts, partSeconds.reduce(0, +), partSeconds.min() ?? 0, partSeconds.max() ?? 0, partBytes >> 20))
        let out = "\(partDir)/merged.sqlite"
        let summary = try PartMerge(options: .init(parts: paths, databasePath: out), log: Log(json: false, showProgress: false)).run()
        print(String(format: "merge of %d parts: %.2f s, %d new distinct events, %d hours, %d rows written; peak RSS %d MiB",
                     parts, summary.seconds, summary.stats.eventsAdded, summary.stats.hoursAdded, summary.stats.writes.rowsWritten,
                     replayBench.peakRSSMiB()))
        let again = try PartMerge(options: .init(parts: paths, databasePath: out), log: Log(json: false, showProgress: false)).run()
        print(String(format: "merging the same %d parts again: %.2f s, %d hours already there, %d new events", parts, again.seconds,
                     again.stats.hoursUnchanged, again.stats.eventsAdded))
        let clean = "\(partDir)/clean.sqlite"
        let t = Date()
        try replayBench.runChild(CommandLine.arguments[0], ["replay-part", "--dir", dir, "--db", clean, "--hours", "\(hours)", "--partition", "0/1"])
        print(String(format: "one clean replay (child process): %.2f s", Date().timeIntervalSince(t)))
        var same = true
        for table in ["page_metrics", "session_metrics", "counters", "anomalies", "quarantine", "_session_hours"] {
            let a = try Database(path: out, readOnly: true).scalarInt("SELECT count(*) FROM \(table)") ?? -1
            let b = try Database(path: clean, readOnly: true).scalarInt("SELECT count(*) FROM \(table)") ?? -1
            if a != b { same = false }
            print("  \(table): merged \(a) rows, clean \(b)")
        }
        print(same ? "row counts equal" : "ROW COUNTS DIFFER")
    }

    /// Child process: replays one partition of the archive into `db`.
    static func replayPart(arguments args: [String]) throws {
        func option(_ name: String) -> String { args[args.firstIndex(of: name)! + 1] }
        let hours = Int64(option("--hours"))!
        let window = ReplayBench.start..<(ReplayBench.start + hours * 3_600_000)
        let partition = try WindowPartition(parsing: option("--partition"))
        let range = partition.window(of: window)
        var options = ReplayOptions(sources: [.local(path: option("--dir"))], window: range, databasePath: option("--db"), commandName: "bench")
        options.partition = PartitionManifest(index: partition.index, count: partition.count, window: window, range: range,
                                              sources: [option("--dir")])
        _ = try Replay(options: options, log: Log(json: false, showProgress: false)).run()
    }
}
