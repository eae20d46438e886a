import ClickstreamCore
import ClickstreamPipeline
import XCTest

/// The core's anomaly rules and session merge, fed by the in-memory twin and reduced in memory: no files, no SQLite.
/// `MemoryTables` keeps what the store keeps (per-hour fingerprints, per-(session, hour) partials, per-minute session
/// counts) in dictionaries, so these tests pin the core's own guarantees.
final class CoreOnTwinTests: XCTestCase {
    /// What the store would hold, reduced in memory from the core's hour aggregates.
    struct MemoryTables {
        var seen: [Int64: [UInt64]] = [:]
        var partials: [String: [Int64: SessionPartial]] = [:]
        var sessionMinutes: [String: [Int64: Int]] = [:]

        mutating func ingest(_ source: MemorySource) {
            for var batch in source.batches(window: day0..<(day0 + 24 * hourMs)) {
                var aggregation = Aggregation()
                aggregation.absorb(&batch.buffers)
                for hour in aggregation.hours {
                    let a = aggregation.aggregate(hour: hour, existing: seen[hour] ?? [])
                    seen[hour, default: []] += a.newFingerprints
                    for s in a.sessions {
                        let id = aggregation.sessions.string(of: s.session)
                        if var stored = partials[id]?[hour] {
                            stored.merge(s.partial)
                            partials[id]![hour] = stored
                        } else {
                            partials[id, default: [:]][hour] = s.partial
                        }
                    }
                    for m in a.sessionMinutes {
                        sessionMinutes[aggregation.sessions.string(of: m.session), default: [:]][m.minuteMs, default: 0] += m.count
                    }
                }
            }
        }

        /// Each session's hour partials merged into one.
        var sessions: [String: SessionPartial] {
            partials.mapValues { hours in
                var merged: SessionPartial? = nil
                for (_, p) in hours.sorted(by: { $0.key < $1.key }) {
                    if merged == nil { merged = p } else { merged!.merge(p) }
                }
                return merged!
            }
        }

        /// Every anomaly row, as `session kind at details`, sorted.
        var anomalies: [String] {
            var out: [Anomaly] = []
            for (id, p) in sessions { out += p.anomalies(session: id) }
            for (id, minutes) in sessionMinutes {
                for (minute, count) in minutes {
                    if let hit = AnomalyRules.highFrequency(session: id, minuteMs: minute, count: count) { out.append(hit) }
                }
            }
            return out.map { "\($0.sessionId) \($0.kind.rawValue) \($0.at) \($0.details)" }.sorted()
        }
    }

    func source(_ lines: [String], batch: Int = 1) -> MemorySource {
        MemorySource(objects: lines.enumerated().map { .init(name: "\($0.offset).json", text: $0.element) }, batchObjects: batch)
    }

    func testAnomalyRulesAtTheirThresholds() {
        var lines: [String] = []
        // 51 events of one session in minute 00:01 (high frequency), 50 in minute 00:03 (not).
        lines += (0..<51).map { line("busy", at: 60_000 + Int64($0) * 1_000) }
        lines += (0..<50).map { line("calm", at: 180_000 + Int64($0) * 1_000) }
        // A bot by user agent, any case; its first bot event counts.
        lines += [line("crawler", at: 9_000, agent: "Mozilla/5.0"), line("crawler", at: 10_000, agent: "SomeSPIDER/1"),
                  line("crawler", at: 11_000, agent: "Googlebot")]
        // Checkout after 2 earlier events (anomaly), and after exactly 3 (none).
        lines += [line("quick", at: 0), line("quick", at: 1_000), line("quick", "page_view", at: 2_000, page: "/checkout/pay")]
        lines += [line("slow", at: 0), line("slow", at: 1_000), line("slow", at: 1_500), line("slow", "page_view", at: 2_000, page: "/checkout")]
        var t = MemoryTables()
        t.ingest(source(lines, batch: 7))
        XCTAssertEqual(t.anomalies, [
            "busy high_frequency_clicks 2025-07-03T00:01 51 events in one minute (limit 50)",
            "crawler suspicious_user_agent 2025-07-03T00:00:10.000Z user agent \"SomeSPIDER/1\" looks like a bot",
            "quick unusual_page_sequence 2025-07-03T00:00:02.000Z checkout page view with 2 earlier events in the session",
        ])
        XCTAssertEqual(t.sessions["busy"]?.eventCount, 51)
        XCTAssertEqual(t.sessions["crawler"]?.lastAgent, "Googlebot")
    }

    /// The merge makes the result a function of the set of events: split across runs (batches, hours) and read in
    /// reverse, the session rows and anomalies equal one pass — including a checkout whose earlier events arrive
    /// in a later run, and a high-frequency minute reached across two runs.
    func testSessionMergeIsOrderAndBatchIndependent() {
        var lines: [String] = []
        lines += [line("s", "page_view", at: hourMs + 5_000, page: "/checkout")]                 // hour 1
        lines += [line("s", at: hourMs - 2_000), line("s", at: hourMs - 1_000, agent: "x-bot")]  // hour 0, earlier
        lines += (0..<30).map { line("hf", at: 2 * hourMs + Int64($0) * 100) }
        lines += (0..<25).map { line("hf", at: 2 * hourMs + 10_000 + Int64($0) * 100) }
        lines += [line("late", "page_view", at: 3 * hourMs, page: "/checkout"), line("late", at: 3 * hourMs + 1)]
        lines += lines.prefix(3) // duplicates count once

        var onePass = MemoryTables()
        onePass.ingest(source(lines, batch: 1_000))
        var split = MemoryTables()
        split.ingest(source(Array(lines.reversed().prefix(40)), batch: 3))
        split.ingest(source(Array(lines.reversed().dropFirst(40)), batch: 5))

        XCTAssertEqual(split.sessions, onePass.sessions)
        XCTAssertEqual(split.anomalies, onePass.anomalies)
        // The checkout first, alone (an anomaly with 0 earlier events), its earlier events in a later run.
        var checkoutFirst = MemoryTables()
        checkoutFirst.ingest(source([lines[0]]))
        XCTAssertEqual(checkoutFirst.anomalies, ["s unusual_page_sequence 2025-07-03T01:00:05.000Z checkout page view with 0 earlier events in the session"])
        checkoutFirst.ingest(source(Array(lines.dropFirst())))
        XCTAssertEqual(checkoutFirst.anomalies, onePass.anomalies)
        XCTAssertEqual(checkoutFirst.sessions, onePass.sessions)
        XCTAssertEqual(onePass.anomalies, [
            "hf high_frequency_clicks 2025-07-03T02:00 55 events in one minute (limit 50)",
            "late unusual_page_sequence 2025-07-03T03:00:00.000Z checkout page view with 0 earlier events in the session",
            "s suspicious_user_agent 2025-07-03T00:59:59.000Z user agent \"x-bot\" looks like a bot",
            "s unusual_page_sequence 2025-07-03T01:00:05.000Z checkout page view with 2 earlier events in the session",
        ])
        XCTAssertEqual(onePass.sessions["s"]?.eventCount, 3)
        XCTAssertEqual(onePass.sessions["s"]?.firstMs, day0 + hourMs - 2_000)
    }
}
