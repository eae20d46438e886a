import ClickstreamPipeline
import ClickstreamRuns
import Foundation

/// Replays a generated archive into a fresh database: full window, then a one-hour window, reporting events/s
/// and the process's peak resident memory; optionally DuckDB on the same files in the same run.
struct ReplayBench {
    let kind: String
    let shape: BenchShape
    let events: Int
    let hours: Int
    let root: String
    let duckdb: Bool

    static let start: Int64 = 1_751_518_800_000 // 2025-07-03T05:00Z, SampleGenerator's default

    func run() throws {
        let dir = try generated()
        print("\(kind): \(events) events in \(hours) hours, shape \(shape)")
        let db = "\(root)/bench.sqlite"
        let from = Self.start, to = Self.start + Int64(hours) * 3_600_000
        let full = try replay(dir, db: db, window: from..<to)
        let rss = peakRSSMiB()
        print(String(format: "%@ full window: %d events (%d distinct new, %d duplicates, %d quarantined), %d objects in %.2f s = %.0f events/s, %.0f objects/s; peak RSS %d MiB",
                     kind, full.stats.documents, full.stats.distinctNew, full.stats.duplicates, full.stats.quarantinedTotal,
                     full.stats.objects, full.seconds, full.eventsPerSecond, Double(full.stats.objects) / full.seconds, rss))
        let midHour = from + Int64(hours / 2) * 3_600_000
        let one = try replay(dir, db: db, window: midHour..<(midHour + 3_600_000))
        print(String(format: "%@ one-hour window: %d events, %d objects in %.3f s (%.1f %% of the full-window time)",
                     kind, one.stats.documents, one.stats.objects, one.seconds, 100 * one.seconds / full.seconds))
        if duckdb && kind == "ndjson" {
            let script = "scripts/duckdb_baseline.py"
            if FileManager.default.fileExists(atPath: script) {
                print("duckdb on the same files: ", terminator: "")
                // fflush(NULL) flushes every output stream, stdout included, without touching the C global
                // `stdout` (a mutable variable the compiler cannot prove race-free).
                fflush(nil)
                do { try runChild("/usr/bin/env", ["python3", script, dir]) } catch {
                    print("(skipped: \(error); pip install duckdb)")
                }
            }
        }
    }

    /// The archive's directory, generated once per (kind, shape, events, hours) by a child process.
    func generated() throws -> String {
        let dir = "\(root)/\(kind)-\(shape.name)-\(events)-\(hours)h"
        if !FileManager.default.fileExists(atPath: dir + "/.complete") {
            try? FileManager.default.removeItem(atPath: dir)
            try runChild(CommandLine.arguments[0], ["generate", "--kind", kind, "--dir", dir, "--events", "\(events)", "--hours", "\(hours)"]
                         + shape.generatorArguments)
            _ = FileManager.default.createFile(atPath: dir + "/.complete", contents: nil)
        }
        return dir
    }

    func replay(_ dir: String, db: String, window: Range<Int64>) throws -> ReplaySummary {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        let options = ReplayOptions(sources: [.local(path: dir)], window: window, databasePath: db, commandName: "bench")
        return try Replay(options: options, log: Log(json: false, showProgress: false)).run()
    }

    func runChild(_ path: String, _ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ClickstreamError(.source, nil, "\(path) \(arguments.joined(separator: " ")) exited \(p.terminationStatus)") }
    }

    /// VmHWM of this process.
    func peakRSSMiB() -> Int {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
        }
        return -1
    }
}
