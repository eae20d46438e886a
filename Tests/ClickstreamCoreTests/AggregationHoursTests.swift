import ClickstreamCore
import XCTest

/// `Aggregation.aggregate(hours:existing:)`: the hours computed in parallel are exactly the hours computed one by one.
final class AggregationHoursTests: XCTestCase {
    func aggregation(_ lines: [String]) -> Aggregation {
        var buffer = IngestBuffer(window: Int64.min..<Int64.max)
        var parser = EventParser()
        Array(lines.joined(separator: "\n").utf8).withUnsafeBytes {
            ObjectIngest.ingest($0, source: "f", into: &buffer, parser: &parser)
        }
        var buffers = [buffer]
        var aggregation = Aggregation()
        aggregation.absorb(&buffers)
        return aggregation
    }

    /// What a test can compare of an hour (HourAggregate holds tuples, so it is not Equatable).
    func summary(_ a: HourAggregate) -> String {
        "hour \(a.hour) fresh \(a.fresh) new \(a.distinctNew) dup \(a.duplicates) fp \(a.newFingerprints.sorted())"
            + " pages \(a.pages.map { "\($0.page):\($0.count)" }) types \(a.typeMinutes.map { "\($0.type)@\($0.minuteMs):\($0.count)" })"
            + " sessions \(a.sessionMinutes.map { "\($0.session)@\($0.minuteMs):\($0.count)" }) partials \(a.sessions.map { "\($0.session):\($0.partial)" })"
    }

    func testParallelHoursEqualHoursOneByOne() {
        var lines: [String] = []
        for h in 0..<6 {
            for m in 0..<5 {
                lines.append(#"{"event_type":"page_view","session_id":"s\#(m % 3)","page_url":"/p\#(m)","timestamp":"2025-07-03T0\#(h):0\#(m):00Z"}"#)
            }
            // A copy of the first event of each hour: a duplicate within the hour.
            lines.append(#"{"event_type":"page_view","session_id":"s0","page_url":"/p0","timestamp":"2025-07-03T0\#(h):00:00Z"}"#)
        }
        let g = aggregation(lines)
        let hours = g.hours
        XCTAssertEqual(hours.count, 6)
        // Hour 2 already holds its first event: it is neither fresh nor new there.
        let stored = g.aggregate(hour: hours[2], existing: []).newFingerprints
        var existing = hours.map { _ in [UInt64]() }
        existing[2] = [stored[0]]

        let parallel = g.aggregate(hours: hours, existing: existing)
        XCTAssertEqual(parallel.keys.sorted(), hours)
        for (i, h) in hours.enumerated() {
            XCTAssertEqual(summary(parallel[h]!), summary(g.aggregate(hour: h, existing: existing[i])))
        }
        XCTAssertEqual(hours.map { parallel[$0]!.distinctNew }, [5, 5, 4, 5, 5, 5])
        XCTAssertEqual(hours.map { parallel[$0]!.fresh }, [true, true, false, true, true, true])
        XCTAssertEqual(g.aggregate(hours: [], existing: []).count, 0)
    }
}
