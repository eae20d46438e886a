import ClickstreamStore
import ClickstreamTestSupport
import Foundation

/// An 8-hour archive (2025-07-03T00:00Z to 08:00Z) built so that a partitioned replay has something to get wrong
/// at every boundary of 4 partitions (hours 0-1, 2-3, 4-5, 6-7): sessions that span partitions (with their latest
/// user agent and their first bot event in different parts), a checkout just after a boundary that needs the
/// previous partition's events to be ordinary (and one that is unusual), a burst of more than 50 events in the
/// last minute before a boundary, duplicates across files and prefixes (an event that landed in the next hour's
/// prefix, an `event_id` read twice with different fields), bad lines and an event outside the window.
enum PartitionArchive {
    static let from = "2025-07-03T00:00:00Z", to = "2025-07-03T08:00:00Z"

    static func event(_ type: String, _ session: String, _ time: String, url: String? = nil, agent: String? = "Mozilla/5.0",
                      id: String? = nil, user: String? = nil) -> String {
        var fields = ["\"event_type\":\"\(type)\"", "\"session_id\":\"\(session)\"", "\"timestamp\":\"2025-07-03T\(time)Z\""]
        if let url { fields.append("\"page_url\":\"\(url)\"") }
        if let agent { fields.append("\"user_agent\":\"\(agent)\"") }
        if let id { fields.append("\"event_id\":\"\(id)\"") }
        if let user { fields.append("\"user_id\":\"\(user)\"") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// Writes the archive under `root` in `dir`; returns its path.
    @discardableResult
    static func write(in dir: TemporaryDirectory, root: String = "archive") throws -> String {
        var files: [String: [String]] = [:]
        func put(_ hour: Int, _ file: String, _ line: String) { files["\(root)/year=2025/month=7/day=3/hour=\(hour)/\(file)", default: []].append(line) }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

        // A long session across all four partitions: an event every 20 minutes, pages alternating, the agent
        // changing at the end (the latest one must win), a bot event in partition 1 and another in partition 2
        // (the first one is the anomaly's instant).
        for k in 0..<24 {
            let hour = k / 3, minute = 10 + (k % 3) * 20
            let agent = k == 23 ? "Safari/17" : (k == 7 ? "Googlebot/2.1" : (k == 13 ? "AhrefsBot" : "Mozilla/5.0"))
            put(hour, "span.json", event("page_view", "span", "\(two(hour)):\(two(minute)):00.000", url: k % 2 == 0 ? "/home" : "/products", agent: agent, user: "u1"))
        }
        // A checkout 5 s after the 02:00 boundary with three earlier events in partition 0: not unusual.
        for (i, t) in ["01:58:00.100", "01:59:00.200", "01:59:30.300"].enumerated() {
            put(1, "edge.json", event(i == 0 ? "page_view" : "click", "edge", t, url: i == 0 ? "/cart" : nil))
        }
        put(2, "edge.json", event("page_view", "edge", "02:00:05.000", url: "/checkout/pay"))
        // A checkout just after 04:00 with only two earlier events (in partition 1): unusual.
        put(3, "edge2.json", event("click", "edge2", "03:59:10.000"))
        put(3, "edge2.json", event("click", "edge2", "03:59:50.000"))
        put(4, "edge2.json", event("page_view", "edge2", "04:00:01.000", url: "/checkout"))
        // A checkout at 06:00:00.000 exactly: its partition's first instant; three earlier events, one of them
        // landed in the hour=6 prefix though its time is 05:59:59.999.
        put(5, "edge3.json", event("click", "edge3", "05:58:00.000"))
        put(5, "edge3.json", event("click", "edge3", "05:59:00.000"))
        put(6, "edge3.json", event("click", "edge3", "05:59:59.999"))
        put(6, "edge3.json", event("page_view", "edge3", "06:00:00.000", url: "/checkout"))
        // 55 events in the minute 05:59 (the last minute of partition 2): high_frequency_clicks.
        for s in 0..<55 { put(5, "burst.json", event("click", "burst", "05:59:\(two(s)).500", agent: nil)) }
        // 30 more in minute 06:00 (partition 3): not over the limit.
        for s in 0..<30 { put(6, "burst.json", event("click", "burst", "06:00:\(two(s)).500", agent: nil)) }
        // Duplicates: the same event in two prefixes (it landed in the next hour's), and an event_id read twice.
        let late = event("page_view", "dup", "01:59:59.900", url: "/home")
        put(1, "dup-a.json", late)
        put(2, "dup-b.json", late)
        put(3, "id-a.json", event("click", "dup", "03:10:00.000", id: "evt-1"))
        put(3, "id-b.json", event("click", "dup", "03:10:00.000", agent: "curl/8", id: "evt-1"))
        // Many small sessions, a few per hour, so every partition has whole sessions of its own.
        for h in 0..<8 {
            for s in 0..<5 {
                for e in 0..<(s + 1) {
                    put(h, "small-\(s).json", event(e == 0 ? "page_view" : "click", "h\(h)-s\(s)", "\(two(h)):\(two(5 + s * 7)):\(two(e * 3)).000",
                                                     url: e == 0 ? "/landing/\(s)" : nil))
                }
            }
        }
        // Bad lines (quarantined once each, though two partitions list the prefix) and an event after the window.
        put(0, "bad.json", "{\"event_type\": \"click\", \"session_id\": ")
        put(3, "bad.json", "[1,2,3]")
        put(3, "bad.json", "{\"event_type\":\"click\",\"session_id\":\"x\",\"timestamp\":\"2025-02-30T10:00:00Z\"}")
        put(8, "after.json", event("click", "after", "08:00:00.000"))
        for (path, lines) in files { try dir.write(path, lines.joined(separator: "\n") + "\n") }
        return dir.url(root)
    }

    /// Every table a merge must reproduce, as sorted rows of real values (quarantine without its row and run ids;
    /// the fingerprint sets as sorted hex per hour, whatever parts they were stored in).
    static func tables(_ path: String) throws -> [String: [[SQLValue]]] {
        let db = try Database(path: path, readOnly: true)
        var out: [String: [[SQLValue]]] = [:]
        for (name, sql) in [
            ("page_metrics", "SELECT page_url, timestamp_hour, view_count FROM page_metrics ORDER BY 1, 2"),
            ("session_metrics", "SELECT session_id, event_count, first_activity, last_activity, user_agent FROM session_metrics ORDER BY 1"),
            ("counters", "SELECT metric_name, time_window, event_count, ttl FROM counters ORDER BY 1, 2"),
            ("anomalies", "SELECT session_id, kind, at, details FROM anomalies ORDER BY 1, 2, 3"),
            ("quarantine", "SELECT source, location, reason, message, raw FROM quarantine ORDER BY 1, 2"),
            ("_session_hours", "SELECT * FROM _session_hours ORDER BY session_id, hour"),
        ] {
            out[name] = try db.prepare(sql).rows()
        }
        var seen: [[SQLValue]] = []
        let st = try db.prepare("SELECT hour, fingerprints FROM _seen ORDER BY hour, part")
        var byHour: [Int64: [UInt64]] = [:]
        while try st.step() {
            let b = st.blob(1)
            byHour[st.int(0), default: []] += Array(UnsafeBufferPointer(start: b.baseAddress?.assumingMemoryBound(to: UInt64.self), count: b.count / 8))
        }
        for (h, f) in byHour.sorted(by: { $0.key < $1.key }) {
            seen.append([.integer(h), .integer(Int64(f.count)), .text(f.sorted().map { String($0, radix: 16) }.joined(separator: ","))])
        }
        out["_seen"] = seen
        return out
    }
}
