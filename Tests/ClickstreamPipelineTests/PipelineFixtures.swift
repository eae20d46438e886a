import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import ClickstreamTestSupport

/// 2025-07-03T00:00:00Z and one hour, in epoch milliseconds.
let day0: Int64 = 1_751_500_800_000
let hourMs: Int64 = 3_600_000

/// One event as an NDJSON line; `at` is milliseconds after `day0`.
func line(_ session: String, _ type: String = "click", at: Int64, page: String? = nil, agent: String? = nil) -> String {
    var fields = ["\"event_type\":\"\(type)\"", "\"session_id\":\"\(session)\"", "\"timestamp\":\"\(Timestamp.instant(day0 + at))\""]
    if let page { fields.append("\"page_url\":\"\(page)\"") }
    if let agent { fields.append("\"user_agent\":\"\(agent)\"") }
    return "{" + fields.joined(separator: ",") + "}"
}

/// Every user-visible table of `path`, each as its rows in key order.
func tables(_ path: String) throws -> [String: [[SQLValue]]] {
    let db = try Database(path: path, readOnly: true)
    var out: [String: [[SQLValue]]] = [:]
    for (t, order) in [("page_metrics", "page_url, timestamp_hour"), ("session_metrics", "session_id"),
                       ("counters", "metric_name, time_window"), ("anomalies", "session_id, kind, at"),
                       ("quarantine", "source, location"), ("_s3_objects", "bucket, key")] {
        let columns = t == "quarantine" ? "source, location, reason, message" : "*"
        out[t] = try db.prepare("SELECT \(columns) FROM \(t) ORDER BY \(order)").rows()
    }
    return out
}

/// Runs `sources` through a whole-run pipeline into the database at `path`.
@discardableResult
func replay(_ sources: [any IngestSource], into path: String, window: Range<Int64> = day0..<(day0 + 24 * hourMs)) throws -> Pipeline.Outcome {
    let writer = try WriterStore(path: path, command: "test")
    let pipeline = Pipeline(store: writer.store, runId: 1, policy: .wholeRun, databasePath: path)
    return try pipeline.run(sources, window: window, progress: RunProgress(log: Log(json: false, showProgress: false)))
}

/// A source that delivers its twin's batches, then fails after `failAfter` of them: a source error mid-run.
final class FailingSource: IngestSource {
    let twin: MemorySource
    let failAfter: Int
    var name: String { twin.name }
    private(set) var acknowledged: [SourcePosition] = []

    init(_ twin: MemorySource, failAfter: Int) {
        self.twin = twin
        self.failAfter = failAfter
    }

    func prepare(window: Range<Int64>) throws {}

    func read(window: Range<Int64>, store: Store, progress: RunProgress, deliver: (inout SourceBatch) throws -> Void) throws {
        var n = 0
        for var batch in twin.batches(window: window) {
            try deliver(&batch)
            n += 1
            if n == failAfter { throw SourceFailure() }
        }
    }

    func committed(_ positions: [SourcePosition]) { acknowledged += positions }

    struct SourceFailure: Error, CustomStringConvertible {
        var description: String { "GetObject failed: HTTP 500 InternalError (injected)" }
    }
}
