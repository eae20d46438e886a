import ClickstreamCore
import XCTest

/// Objects to documents to events: a bad first line costs one line, a bad pretty-printed object one rejection.
final class ObjectIngestTests: XCTestCase {
    func ingest(_ text: String) -> IngestBuffer {
        var buffer = IngestBuffer(window: Int64.min..<Int64.max)
        var parser = EventParser()
        Array(text.utf8).withUnsafeBytes { ObjectIngest.ingest($0, source: "f", into: &buffer, parser: &parser) }
        return buffer
    }

    let good = #"{"event_type":"click","session_id":"s","timestamp":"2025-07-03T05:00:0%dZ"}"#

    func testNDJSONWithACutFirstLineKeepsTheLinesAfterIt() {
        let text = #"{"event_type":"click","session_id":"s"# + "\n" + (1...3).map { String(format: good, $0) }.joined(separator: "\n")
        let b = ingest(text)
        XCTAssertEqual(b.records.count, 3)
        XCTAssertEqual(b.quarantine.map { "\($0.location) \($0.reason.rawValue)" }, ["line 1 invalid_json"])
    }

    func testATruncatedPrettyPrintedObjectIsOneRejection() {
        let b = ingest("{\n  \"event_type\": \"click\",\n  \"session_id\": \"s\",\n  \"timestamp\": \"2025-07-03T05:")
        XCTAssertEqual(b.records.count, 0)
        XCTAssertEqual(b.quarantine.map { "\($0.location) \($0.reason.rawValue)" }, ["line 1 invalid_json"])
    }

    func testAPrettyPrintedObjectIsOneEvent() {
        let b = ingest("\n{\n  \"event_type\": \"click\",\n  \"session_id\": \"s\",\n  \"timestamp\": \"2025-07-03T05:00:00Z\"\n}\n")
        XCTAssertEqual(b.records.count, 1)
        XCTAssertEqual(b.quarantine.count, 0)
    }
}
