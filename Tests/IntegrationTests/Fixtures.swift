import ClickstreamCore
import ClickstreamExport
import ClickstreamJobs
import ClickstreamPipeline
import ClickstreamRuns
import ClickstreamSamples
import ClickstreamStore
import ClickstreamTestSupport
import Foundation
import SourceKinesis
import SourceLocal
import SourceS3
import XCTest

/// 2025-07-03T00:00:00Z
let day0: Int64 = 1_751_500_800_000
let hourMs: Int64 = 3_600_000

/// One event as a JSON line.
func eventLine(_ type: String = "click", session: String, at ms: Int64, page: String? = "/", agent: String? = "Mozilla/5.0",
               user: String? = "u1", ip: String? = "10.0.0.1", referrer: String? = nil, id: String? = nil) -> String {
    func q(_ s: String?) -> String {
        guard let s else { return "null" }
        return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
    var s = "{\"event_type\":\(q(type)),\"session_id\":\(q(session)),\"timestamp\":\"\(Timestamp.instant(ms))\""
    s += ",\"page_url\":\(q(page)),\"user_agent\":\(q(agent)),\"user_id\":\(q(user)),\"ip_address\":\(q(ip)),\"referrer\":\(q(referrer))"
    if let id { s += ",\"event_id\":\(q(id))" }
    return s + "}"
}

/// A deterministic pseudo-random workload: sessions spread over `hours` hours from `day0`, with duplicates.
func randomEvents(seed: UInt64, count: Int, hours: Int = 6) -> [(ms: Int64, line: String)] {
    var rng = SplitMix(seed)
    var out: [(Int64, String)] = []
    let pages = ["/", "/products/1", "/products/2", "/cart", "/checkout", "/search?q=a"]
    let types = ["page_view", "page_view", "click", "scroll", "add_to_cart"]
    let agents = ["Mozilla/5.0 A", "Mozilla/5.0 B", "Googlebot/2.1", nil]
    for i in 0..<count {
        let session = "s\(rng.next() % UInt64(max(count / 12, 1)))"
        let ms = day0 + Int64(rng.next() % UInt64(Int64(hours) * hourMs)) / 1000 * 1000
        let type = types[Int(rng.next() % UInt64(types.count))]
        let line = eventLine(type, session: session, at: ms, page: pages[Int(rng.next() % UInt64(pages.count))],
                             agent: agents[Int(rng.next() % UInt64(agents.count))], user: "u\(i % 7)")
        out.append((ms, line))
        if rng.next() % 50 == 0 { out.append((ms, line)) }
    }
    return out
}

struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Writes events as NDJSON files in the unpadded hive layout, one file per (hour, part).
func writeArchive(_ dir: TemporaryDirectory, _ events: [(ms: Int64, line: String)], root: String = "archive", parts: Int = 1) throws -> String {
    var files: [String: [String]] = [:]
    for (i, e) in events.enumerated() {
        let c = Timestamp.civil(e.ms)
        let path = "\(root)/year=\(c.year)/month=\(c.month)/day=\(c.day)/hour=\(c.hour)/part-\(i % parts).json"
        files[path, default: []].append(e.line)
    }
    for (path, lines) in files { try dir.write(path, lines.joined(separator: "\n") + "\n") }
    return dir.url(root)
}

/// Runs a replay and returns its summary.
@discardableResult
func replay(_ sources: [String], from: Int64, to: Int64, db: String, rebuild: Bool = false, workers: Int = 2) throws -> ReplaySummary {
    let options = ReplayOptions(sources: try sources.map(SourceURL.init(parsing:)), window: from..<to, rebuild: rebuild,
                                databasePath: db, workers: workers)
    return try Replay(options: options, log: Log(json: false, showProgress: false)).run()
}

/// The four contract tables, every row, in key order.
func contractTables(_ db: String) throws -> [String: [[SQLValue]]] {
    let d = try Database(path: db)
    var out: [String: [[SQLValue]]] = [:]
    for (t, order) in [("page_metrics", "page_url, timestamp_hour"), ("session_metrics", "session_id"),
                       ("counters", "metric_name, time_window"), ("anomalies", "session_id, kind, at")] {
        out[t] = try d.prepare("SELECT * FROM \(t) ORDER BY \(order)").rows()
    }
    return out
}

func rows(_ db: String, _ sql: String) throws -> [[SQLValue]] {
    try Database(path: db).prepare(sql).rows()
}

func assertSameTables(_ a: String, _ b: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let ta = try contractTables(a), tb = try contractTables(b)
    for t in ta.keys.sorted() {
        XCTAssertEqual(ta[t]!.count, tb[t]!.count, "row count of \(t)", file: file, line: line)
        XCTAssertEqual(ta[t]!, tb[t]!, "contents of \(t)", file: file, line: line)
    }
}

/// The events counted in a database's sessions so far: 0 while it has none, or cannot be read yet. What a test
/// polls while a background `stream` consumes.
func storedEvents(_ db: String) -> Int64 {
    if case let .integer(n)? = (try? rows(db, "SELECT sum(event_count) FROM session_metrics"))?.first?.first { return n }
    return 0
}
