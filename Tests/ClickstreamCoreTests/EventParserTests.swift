@testable import ClickstreamCore
import XCTest

final class EventParserTests: XCTestCase {
    static let typical = #"{"event_type":"page_view","session_id":"3f2b9c1e-8d7a-4b6e-9f01-2c3d4e5f6a7b","user_id":"user_48213","timestamp":"2025-07-03T05:04:03.120Z","page_url":"https://shop.example.com/products/widget-4821?ref=home","user_agent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36","ip_address":"203.0.113.42","referrer":"https://www.google.com/"}"#

    private func assertRejected(_ text: String, _ reason: QuarantineReason, field: String? = nil,
                                file: StaticString = #filePath, line: UInt = #line) {
        switch parseEvent(text) {
        case .success(let e):
            XCTFail("accepted \(text) as \(e)", file: file, line: line)
        case .failure(let r):
            XCTAssertEqual(r.reason, reason, "\(text): \(r.message)", file: file, line: line)
            XCTAssertEqual(r.field, field, "\(text): \(r.message)", file: file, line: line)
        }
    }

    private func assertInvalid(bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        switch parseEvent(bytes: bytes) {
        case .success(let e): XCTFail("accepted \(bytes) as \(e)", file: file, line: line)
        case .failure(let r): XCTAssertEqual(r.reason, .invalidJSON, r.message, file: file, line: line)
        }
    }

    func testTypicalEvent() throws {
        let e = try parseEvent(Self.typical).get()
        XCTAssertEqual(e, ParsedEvent(
            eventType: "page_view", sessionId: "3f2b9c1e-8d7a-4b6e-9f01-2c3d4e5f6a7b",
            timestampMs: 1_751_519_043_120, userId: "user_48213",
            pageUrl: "https://shop.example.com/products/widget-4821?ref=home",
            userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
            ipAddress: "203.0.113.42", referrer: "https://www.google.com/"))
    }

    func testMinimalEventWithNullsAndEpochMillis() throws {
        let e = try parseEvent(#" {"event_type":"click","session_id":"s","timestamp":1751519043120,"user_id":null,"event_id":"e1","referrer":""} "#).get()
        XCTAssertEqual(e, ParsedEvent(eventType: "click", sessionId: "s", timestampMs: 1_751_519_043_120,
                                      referrer: "", eventId: "e1"))
    }

    func testWhitespaceEverywhere() throws {
        let e = try parseEvent("\r\n\t {\n \"event_type\" :\t\"click\" ,\r\n\"session_id\":\"s\" , \"timestamp\" : 0 }\n\n").get()
        XCTAssertEqual(e, ParsedEvent(eventType: "click", sessionId: "s", timestampMs: 0))
    }

    func testUnknownFieldsOfEveryTypeAreSkipped() throws {
        let e = try parseEvent(#"{"a":{"b":[1,2.5e-3,{"c":null}],"d":"x\"y"},"event_type":"click","e":[],"f":{},"g":true,"h":false,"i":-0.0,"session_id":"s","timestamp":"2025-07-03T05:04:03Z","j":"\u00e9\ud83d\ude00","k":1E+2}"#).get()
        XCTAssertEqual(e, ParsedEvent(eventType: "click", sessionId: "s", timestampMs: 1_751_519_043_000))
    }

    func testEscapesAreDecoded() throws {
        let e = try parseEvent(#"{"event_type":"click","session_id":"a\/b","timestamp":0,"user_id":"caf\u00e9","page_url":"\ud83d\ude00!","user_agent":"q\"b\\s\n\t\r\b\f","referrer":"\u20AC","ip_address":"plain","event_id":"\u0000"}"#).get()
        XCTAssertEqual(e.sessionId, "a/b")
        XCTAssertEqual(e.userId, "café")
        XCTAssertEqual(e.pageUrl, "😀!")
        XCTAssertEqual(e.userAgent, "q\"b\\s\n\t\r\u{8}\u{c}")
        XCTAssertEqual(e.referrer, "€")
        XCTAssertEqual(e.ipAddress, "plain")
        XCTAssertEqual(e.eventId, "\u{0}")
        XCTAssertEqual(try parseEvent(#"{"event_type":"click","session_id":"a\/b","timestamp":0}"#).get(),
                       try parseEvent(#"{"event_type":"click","session_id":"a/b","timestamp":0}"#).get())
    }

    func testEscapedKeysMatchKnownFields() throws {
        let e = try parseEvent(#"{"event\u005ftype":"click","\u0073ession_id":"s","timestamp":0}"#).get()
        XCTAssertEqual(e, ParsedEvent(eventType: "click", sessionId: "s", timestampMs: 0))
    }

    func testRawUTF8IsKept() throws {
        let e = try parseEvent(#"{"event_type":"click","session_id":"sé€😀","timestamp":0}"#).get()
        XCTAssertEqual(e.sessionId, "sé€😀")
    }

    func testDuplicateKeysLastWins() throws {
        let e = try parseEvent(#"{"event_type":7,"session_id":"a","timestamp":0,"event_type":"click","session_id":"b","user_id":"u","user_id":null}"#).get()
        XCTAssertEqual(e, ParsedEvent(eventType: "click", sessionId: "b", timestampMs: 0))
        assertRejected(#"{"event_type":"click","session_id":"a","timestamp":0,"session_id":""}"#, .missingField,
                       field: "session_id")
    }

    func testParserIsReusableAndViewsOfEscapesDoNotClash() throws {
        var parser = EventParser()
        for i in 0..<50 {
            let doc = #"{"event_type":"e\u0031","session_id":"s\/"# + String(i) + #"","timestamp":"# + String(i)
                + #","user_id":"\u00e9"}"#
            let e = try parseEvent(Array(doc.utf8), parser: &parser).get()
            XCTAssertEqual(e, ParsedEvent(eventType: "e1", sessionId: "s/\(i)", timestampMs: Int64(i), userId: "é"))
        }
        // A copy of a parser gets its own scratch space on first use.
        var copy = parser
        let a = Array(#"{"event_type":"\u0041","session_id":"s","timestamp":0}"#.utf8)
        let b = Array(#"{"event_type":"\u0042","session_id":"s","timestamp":0}"#.utf8)
        try a.withUnsafeBytes { da in
            try b.withUnsafeBytes { db in
                let ea = try parser.parse(da).get()
                let eb = try copy.parse(db).get()
                XCTAssertEqual(String(decoding: ea.eventType, as: UTF8.self), "A")
                XCTAssertEqual(String(decoding: eb.eventType, as: UTF8.self), "B")
            }
        }
    }

    // MARK: invalid_json

    func testInvalidJSONMessages() {
        XCTAssertEqual(parseEvent(""), .failure(Rejection(.invalidJSON, "document is not valid JSON: it is empty")))
        XCTAssertEqual(parseEvent(" \n"),
                       .failure(Rejection(.invalidJSON, "document is not valid JSON: it is only whitespace")))
        XCTAssertEqual(parseEvent(#"{"a":1} x"#),
                       .failure(Rejection(.invalidJSON,
                                          "document is not valid JSON: unexpected characters after the value at byte 8")))
        XCTAssertEqual(parseEvent(#"{"a":"#),
                       .failure(Rejection(.invalidJSON, "document is not valid JSON: unexpected end of input at byte 5")))
    }

    func testInvalidJSON() {
        for text in [
            "x", "{", "}", "{\"event_type\"", "{\"event_type\":", "{\"event_type\":\"click\"",
            "{\"event_type\":\"click\",}", "{,}", "{\"a\" 1}", "{\"a\":1,,\"b\":2}", "{'a':1}", "{a:1}",
            "{\"a\":1}}", "{\"a\":1} {\"b\":2}", "{\"a\":[1,2}", "{\"a\":[1,]}", "[1,2", "\"abc", "tru", "nul",
            "{\"a\":tru}", "{\"a\":True}", "{\"a\":nan}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":-}",
            "{\"a\":1e}", "{\"a\":1e+}", "{\"a\":+1}", "{\"a\":0x10}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}",
            "{\"a\":\"\\u12G4\"}", "{\"a\":\"\\ud83d\"}", "{\"a\":\"\\ude00\"}", "{\"a\":\"\\ud83d\\u0041\"}",
            "{\"a\":\"\\ud83dx\"}", "{\"a\":\"tab\there\"}", "{\"a\":\"line\nbreak\"}",
            "{\"event_type\":\"click\",\"session_id\":\"s\",\"timestamp\":0", "{\"timestamp\":01}",
            "{\"timestamp\":1.}", "{\"timestamp\":-}", "{\"timestamp\":.5}", "01", "1.", ".5", "\u{FEFF}{}",
            "{\"user_id\":\"\\ud83d\"}", "{\"session_id\":\"\\u\"}", "{\"a\":[1 2]}", "{\"a\":{\"b\"}}",
            "{\"a\":{\"b\":1,}}", "{\"a\":[,1]}", "{\"a\":1 \"b\":2}",
        ] {
            assertRejected(text, .invalidJSON)
        }
    }

    func testInvalidUTF8() {
        let prefix = Array(#"{"event_type":"click","session_id":"s","timestamp":0,"user_id":""#.utf8)
        let suffix = Array(#""}"#.utf8)
        let bad: [[UInt8]] = [
            [0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xC3], [0xC3, 0x28], [0xE0, 0x80, 0xAF],
            [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xE2, 0x82], [0xE2, 0x28, 0xA1],
            [0xF0, 0x80, 0x80, 0xAF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
            [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE], [0xFF], [0xF0, 0x9F, 0x98],
        ]
        for b in bad {
            assertInvalid(bytes: prefix + b + suffix)
            // Also inside a long string (the 8-byte fast path), after an escape, and in keys and unknown values.
            assertInvalid(bytes: prefix + Array("0123456789abcdef".utf8) + b + Array("0123456789".utf8) + suffix)
            assertInvalid(bytes: prefix + Array(#"\n"#.utf8) + b + suffix)
            assertInvalid(bytes: Array(#"{""#.utf8) + b + Array(#"":1}"#.utf8))
            assertInvalid(bytes: Array(#"{"x":["#.utf8) + [0x22] + b + [0x22] + Array("]}".utf8))
        }
        // Valid boundaries are accepted.
        for good: [UInt8] in [[0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80],
                              [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF]] {
            guard case .success(let e) = parseEvent(bytes: prefix + good + suffix) else {
                return XCTFail("rejected \(good)")
            }
            XCTAssertEqual(Array(e.userId!.utf8), good)
        }
        // Outside strings, any non-ASCII byte is invalid.
        assertInvalid(bytes: [0x7B, 0xC3, 0xA9, 0x7D])
    }

    func testControlCharactersInStrings() {
        for c: UInt8 in [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F] {
            assertInvalid(bytes: Array(#"{"event_type":"cl"#.utf8) + [c] + Array(#"ick","session_id":"s","timestamp":0}"#.utf8))
            assertInvalid(bytes: Array(#"{"event_type":"0123456789abcdef\t"#.utf8) + [c]
                            + Array(#"ick","session_id":"s","timestamp":0}"#.utf8))
        }
        // DEL (0x7F) is not a control character for JSON.
        XCTAssertEqual(try? parseEvent(bytes: Array(#"{"event_type":"a"#.utf8) + [0x7F] + Array(#"","session_id":"s","timestamp":0}"#.utf8)).get().eventType,
                       "a\u{7F}")
    }

    func testTenMegabyteGarbageLine() {
        var garbage = [UInt8](repeating: 0, count: 10_000_000)
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in garbage.indices {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            garbage[i] = UInt8(truncatingIfNeeded: x)
        }
        garbage[0] = 0x7B  // '{' so it is not rejected by the first byte alone
        let start = ContinuousClock.now
        assertInvalid(bytes: garbage)
        // A 10 MB string that is never closed: scanned to the end, then rejected.
        let unterminated = Array(#"{"event_type":""#.utf8) + [UInt8](repeating: 0x61, count: 10_000_000)
        assertInvalid(bytes: unterminated)
        // A 10 MB valid string with escapes in an unknown field, then garbage.
        var escaped = Array(#"{"x":""#.utf8)
        for _ in 0..<5_000_000 { escaped += [0x5C, 0x6E] }
        escaped += Array(#"" garbage"#.utf8)
        assertInvalid(bytes: escaped)
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(5))
    }

    func testNesting() {
        func nested(_ depth: Int) -> String {
            #"{"event_type":"click","session_id":"s","timestamp":0,"x":"# + String(repeating: "[", count: depth - 1)
                + String(repeating: "]", count: depth - 1) + "}"
        }
        XCTAssertNoThrow(try parseEvent(nested(512)).get())
        assertRejected(nested(513), .invalidJSON)
        let objects = #"{"event_type":"click","session_id":"s","timestamp":0,"x":"#
            + String(repeating: #"{"a":"#, count: 511) + "1" + String(repeating: "}", count: 511) + "}"
        XCTAssertNoThrow(try parseEvent(objects).get())
        let tooDeep = #"{"x":"# + String(repeating: #"{"a":"#, count: 512) + "1" + String(repeating: "}", count: 513)
        assertRejected(tooDeep, .invalidJSON)
        XCTAssertEqual(parseEvent(String(repeating: "[", count: 512) + String(repeating: "]", count: 512)),
                       .failure(Rejection(.notObject, "document is an array, not a JSON object")))
        assertRejected(String(repeating: "[", count: 513) + String(repeating: "]", count: 513), .invalidJSON)
        // A million unclosed brackets: rejected without recursion.
        assertRejected(String(repeating: "[", count: 1_000_000), .invalidJSON)
        assertRejected(#"{"a":"# + String(repeating: #"{"a":["#, count: 300_000), .invalidJSON)
    }

    // MARK: not_object

    func testNotObject() {
        XCTAssertEqual(parseEvent("[1,2]"), .failure(Rejection(.notObject, "document is an array, not a JSON object")))
        XCTAssertEqual(parseEvent(#" "x" "#), .failure(Rejection(.notObject, "document is a string, not a JSON object")))
        XCTAssertEqual(parseEvent("-1.5e3"), .failure(Rejection(.notObject, "document is a number, not a JSON object")))
        XCTAssertEqual(parseEvent("true"), .failure(Rejection(.notObject, "document is a boolean, not a JSON object")))
        XCTAssertEqual(parseEvent("null\n"), .failure(Rejection(.notObject, "document is null, not a JSON object")))
        assertRejected("[]", .notObject)
        assertRejected(#"[{"event_type":"click","session_id":"s","timestamp":0}]"#, .notObject)
        assertRejected("[1,2] x", .invalidJSON)
        assertRejected("[1,", .invalidJSON)
    }

    // MARK: wrong_type

    func testWrongType() {
        let base = #""event_type":"click","session_id":"s","timestamp":0"#
        XCTAssertEqual(parseEvent(#"{"event_type":7,"session_id":"s","timestamp":0}"#),
                       .failure(Rejection(.wrongType, field: "event_type", #"field "event_type" must be a string, got number"#)))
        XCTAssertEqual(parseEvent(#"{"event_type":"click","session_id":["s"],"timestamp":0}"#),
                       .failure(Rejection(.wrongType, field: "session_id", #"field "session_id" must be a string, got array"#)))
        XCTAssertEqual(parseEvent(#"{"event_type":"click","session_id":"s","timestamp":true}"#),
                       .failure(Rejection(.wrongType, field: "timestamp",
                                          #"field "timestamp" must be a string or an integer, got boolean"#)))
        XCTAssertEqual(parseEvent("{" + base + #","user_id":42}"#),
                       .failure(Rejection(.wrongType, field: "user_id", #"field "user_id" must be a string or null, got number"#)))
        XCTAssertEqual(parseEvent("{" + base + #","page_url":{}}"#),
                       .failure(Rejection(.wrongType, field: "page_url", #"field "page_url" must be a string or null, got object"#)))
        assertRejected("{" + base + #","user_agent":false}"#, .wrongType, field: "user_agent")
        assertRejected("{" + base + #","ip_address":[]}"#, .wrongType, field: "ip_address")
        assertRejected("{" + base + #","referrer":1.5}"#, .wrongType, field: "referrer")
        assertRejected("{" + base + #","event_id":12345}"#, .wrongType, field: "event_id")
        assertRejected(#"{"event_type":{"x":1},"session_id":"s","timestamp":0}"#, .wrongType, field: "event_type")
        assertRejected(#"{"event_type":"click","session_id":true,"timestamp":0}"#, .wrongType, field: "session_id")
        assertRejected(#"{"event_type":"click","session_id":"s","timestamp":{}}"#, .wrongType, field: "timestamp")
        assertRejected(#"{"event_type":"click","session_id":"s","timestamp":[0]}"#, .wrongType, field: "timestamp")
        // Null is "absent" for required fields (missing_field), and fine for optional ones.
        assertRejected(#"{"event_type":null,"session_id":"s","timestamp":0}"#, .missingField, field: "event_type")
    }

    // MARK: missing_field

    func testMissingField() {
        XCTAssertEqual(parseEvent(#"{"session_id":"s","timestamp":0}"#),
                       .failure(Rejection(.missingField, field: "event_type", #"required field "event_type" is missing"#)))
        XCTAssertEqual(parseEvent(#"{"event_type":"click","session_id":null,"timestamp":0}"#),
                       .failure(Rejection(.missingField, field: "session_id", #"required field "session_id" is null"#)))
        XCTAssertEqual(parseEvent(#"{"event_type":"click","session_id":"s","timestamp":""}"#),
                       .failure(Rejection(.missingField, field: "timestamp", #"required field "timestamp" is empty"#)))
        assertRejected(#"{"event_type":"","session_id":"s","timestamp":0}"#, .missingField, field: "event_type")
        assertRejected(#"{"event_type":"click","timestamp":0}"#, .missingField, field: "session_id")
        assertRejected(#"{"event_type":"click","session_id":"s"}"#, .missingField, field: "timestamp")
        assertRejected(#"{"event_type":"click","session_id":"s","timestamp":null}"#, .missingField, field: "timestamp")
        assertRejected("{}", .missingField, field: "event_type")
        assertRejected(#"{"timestamp":0}"#, .missingField, field: "event_type")
        XCTAssertEqual(parseEvent(#"{"event_type":"page_view","session_id":"s","timestamp":0}"#),
                       .failure(Rejection(.missingField, field: "page_url",
                                          #"field "page_url" is required for page_view events but is missing"#)))
        assertRejected(#"{"event_type":"page_view","session_id":"s","timestamp":0,"page_url":null}"#, .missingField,
                       field: "page_url")
        assertRejected(#"{"event_type":"page_view","session_id":"s","timestamp":0,"page_url":""}"#, .missingField,
                       field: "page_url")
        // Only page_view requires page_url; escapes decode before the check.
        XCTAssertNoThrow(try parseEvent(#"{"event_type":"page_views","session_id":"s","timestamp":0}"#).get())
        XCTAssertNoThrow(try parseEvent(#"{"event_type":"Page_view","session_id":"s","timestamp":0}"#).get())
        assertRejected(#"{"event_type":"page\u005fview","session_id":"s","timestamp":0}"#, .missingField,
                       field: "page_url")
    }

    // MARK: bad_timestamp

    func testBadTimestamp() {
        XCTAssertEqual(parseEvent(#"{"event_type":"click","session_id":"s","timestamp":"2025-02-30T00:00:00Z"}"#),
                       .failure(Rejection(.badTimestamp, field: "timestamp",
                                          #"field "timestamp" is not an ISO 8601 instant (YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]): "2025-02-30T00:00:00Z""#)))
        XCTAssertEqual(parseEvent(#"{"event_type":"click","session_id":"s","timestamp":1.5}"#),
                       .failure(Rejection(.badTimestamp, field: "timestamp",
                                          #"field "timestamp" must be whole epoch milliseconds from 0 through year 9999, got 1.5"#)))
        for ts in [#""2025-07-03T25:61:00Z""#, #""2025-07-03 05:04:03Z""#, #""yesterday""#, #""1751519043120""#,
                   "1e3", "1.0", "-1", "253402300800000", "99999999999999999999999", #""2025-07-03""#, #"" ""#] {
            assertRejected(#"{"event_type":"click","session_id":"s","timestamp":"# + ts + "}", .badTimestamp,
                           field: "timestamp")
        }
        XCTAssertEqual(try parseEvent(#"{"event_type":"click","session_id":"s","timestamp":253402300799999}"#).get().timestampMs,
                       253_402_300_799_999)
        XCTAssertEqual(try parseEvent(#"{"event_type":"click","session_id":"s","timestamp":-0}"#).get().timestampMs, 0)
        XCTAssertEqual(try parseEvent(#"{"event_type":"click","session_id":"s","timestamp":"2024-02-29T23:59:59.999999999+01:00"}"#).get().timestampMs,
                       Timestamp.epochMillis(year: 2024, month: 2, day: 29, hour: 22, minute: 59, second: 59, millisecond: 999))
        // Escapes in the timestamp string decode before parsing.
        XCTAssertEqual(try parseEvent(#"{"event_type":"click","session_id":"s","timestamp":"1970-01-01T00:00:00\u002E5Z"}"#).get().timestampMs,
                       500)
    }

    // MARK: precedence

    func testPrecedence() {
        // invalid_json beats everything.
        assertRejected(#"{"event_type":7,"timestamp":"bad"} x"#, .invalidJSON)
        // wrong_type beats missing_field and bad_timestamp, whatever the order in the document.
        assertRejected(#"{"timestamp":"2025-02-30T00:00:00Z","user_id":1}"#, .wrongType, field: "user_id")
        assertRejected(#"{"event_id":1,"event_type":2}"#, .wrongType, field: "event_type")
        assertRejected(#"{"referrer":[],"timestamp":false}"#, .wrongType, field: "timestamp")
        // missing_field beats bad_timestamp; required fields in the order event_type, session_id, timestamp.
        assertRejected(#"{"session_id":"","timestamp":"nope"}"#, .missingField, field: "event_type")
        assertRejected(#"{"event_type":"x","timestamp":"nope"}"#, .missingField, field: "session_id")
        assertRejected(#"{"event_type":"page_view","session_id":"s","timestamp":"nope"}"#, .missingField,
                       field: "page_url")
        assertRejected(#"{"event_type":"page_view","session_id":"s"}"#, .missingField, field: "timestamp")
    }
}
