import ClickstreamCore
import XCTest

final class ObjectSplitterTests: XCTestCase {
    private func split(_ text: String) -> [(Int, String)] {
        var out: [(Int, String)] = []
        Array(text.utf8).withUnsafeBytes { object in
            ObjectSplitter.forEachDocument(in: object) { line, doc in
                out.append((line, String(decoding: doc, as: UTF8.self)))
            }
        }
        return out
    }

    private func assertSplit(_ text: String, _ expected: [(Int, String)], file: StaticString = #filePath,
                             line: UInt = #line) {
        let got = split(text)
        XCTAssertEqual(got.map(\.0), expected.map(\.0), file: file, line: line)
        XCTAssertEqual(got.map(\.1), expected.map(\.1), file: file, line: line)
    }

    func testEmptyAndBlank() {
        assertSplit("", [])
        assertSplit("\n\n  \r\n\t\n", [])
    }

    func testByteOrderMarkIsSkipped() {
        assertSplit("\u{FEFF}{\"a\":1}\n{\"b\":2}\n", [(1, "{\"a\":1}"), (2, "{\"b\":2}")])
        assertSplit("\u{FEFF}{\n\"a\":1\n}", [(1, "{\n\"a\":1\n}")])
        assertSplit("\u{FEFF}", [])
        // Only at the start of the object.
        assertSplit("{\"a\":1}\n\u{FEFF}{\"b\":2}", [(1, "{\"a\":1}"), (2, "\u{FEFF}{\"b\":2}")])
    }

    func testNDJSON() {
        assertSplit("{\"a\":1}\n{\"b\":2}\n", [(1, "{\"a\":1}"), (2, "{\"b\":2}")])
        assertSplit("{\"a\":1}\n{\"b\":2}", [(1, "{\"a\":1}"), (2, "{\"b\":2}")])
    }

    func testCRLFAndBlankLines() {
        assertSplit("\r\n{\"a\":1}\r\n\r\n  \r\n{\"b\":2}\r\n\r\n{\"c\":3}  \t\r\n",
                    [(2, "{\"a\":1}"), (5, "{\"b\":2}"), (7, "{\"c\":3}")])
    }

    func testBadLinesStayLines() {
        // The first line completes its value, so each line is its own document, good or bad.
        assertSplit("{\"a\":1}\nnot json\n{\"b\":\n[1,2]\n\"s\"\n",
                    [(1, "{\"a\":1}"), (2, "not json"), (3, "{\"b\":"), (4, "[1,2]"), (5, "\"s\"")])
        assertSplit("garbage {\n{\"a\":1}\n", [(1, "garbage {"), (2, "{\"a\":1}")])
        // Brackets inside strings do not count.
        assertSplit("{\"a\":\"}{[\\\"\"}\n{\"b\":2}\n", [(1, "{\"a\":\"}{[\\\"\"}"), (2, "{\"b\":2}")])
    }

    func testSingleDocument() {
        assertSplit("{\"a\":1}", [(1, "{\"a\":1}")])
        assertSplit("  {\"a\":1}  \n\n", [(1, "{\"a\":1}")])
    }

    func testPrettyPrinted() {
        let pretty = "\n\n{\n  \"event_type\": \"click\",\n  \"nested\": {\"x\": [1,\n 2]}\n}\n\n"
        assertSplit(pretty, [(3, "{\n  \"event_type\": \"click\",\n  \"nested\": {\"x\": [1,\n 2]}\n}")])
        assertSplit("[\r\n  1,\r\n  2\r\n]\r\n", [(1, "[\r\n  1,\r\n  2\r\n]")])
        assertSplit("{\"a\": {\n \"b\": 1}}", [(1, "{\"a\": {\n \"b\": 1}}")])
    }

    func testTruncatedPrettyPrintedIsOneDocument() {
        assertSplit("{\n  \"event_type\": \"click\",\n  \"session_id\": \"s\n",
                    [(1, "{\n  \"event_type\": \"click\",\n  \"session_id\": \"s")])
        var parser = EventParser()
        var reasons: [QuarantineReason] = []
        Array("{\n  \"event_type\": \"click\",\n  \"session_id\": \"s\",\n".utf8).withUnsafeBytes { object in
            ObjectSplitter.forEachDocument(in: object) { _, doc in
                if case .failure(let r) = parser.parse(doc) { reasons.append(r.reason) }
            }
        }
        XCTAssertEqual(reasons, [.invalidJSON])
    }

    func testSplitsWithParser() {
        var ndjson = ""
        for i in 0..<1000 {
            ndjson += #"{"event_type":"click","session_id":"s\#(i)","timestamp":\#(i)}"# + (i % 2 == 0 ? "\r\n" : "\n")
            if i % 100 == 0 { ndjson += "\n" }
        }
        var parser = EventParser()
        var lines: [Int] = []
        var stamps: [Int64] = []
        Array(ndjson.utf8).withUnsafeBytes { object in
            ObjectSplitter.forEachDocument(in: object) { line, doc in
                lines.append(line)
                if case .success(let e) = parser.parse(doc) { stamps.append(e.timestampMs) }
            }
        }
        XCTAssertEqual(stamps, (0..<1000).map { Int64($0) })
        XCTAssertEqual(lines.count, 1000)
        XCTAssertEqual(Array(lines.prefix(3)), [1, 3, 4])
        XCTAssertEqual(lines.last, 1010)
    }
}
