@testable import ClickstreamCore
import Foundation
import XCTest

/// Differential checks of the validating scanner against Foundation's JSONSerialization on mutated documents.
final class JSONScannerTests: XCTestCase {
    private func scannerAccepts(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { b -> Bool in
            guard let base = b.baseAddress, b.count > 0 else { return false }
            var s = JSONScanner(base, count: b.count, scratch: ScratchBuffer())
            s.skipWhitespace()
            guard s.p < s.end, s.skipValue(depth: 1) else { return false }
            s.skipWhitespace()
            return s.p == s.end
        }
    }

    private func foundationAccepts(_ bytes: [UInt8]) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
    }

    private static func hasTrailingComma(_ doc: [UInt8]) -> Bool {
        var inString = false, escaped = false, lastSignificant: UInt8 = 0
        for c in doc {
            if inString {
                if escaped { escaped = false } else if c == 0x5C { escaped = true } else if c == 0x22 { inString = false }
                continue
            }
            if c == 0x22 { inString = true }
            if (c == 0x7D || c == 0x5D) && lastSignificant == 0x2C { return true }
            if c != 0x20 && c != 0x0A && c != 0x0D && c != 0x09 { lastSignificant = c }
        }
        return false
    }

    func testMutationsAgreeWithFoundation() {
        let seeds = [
            EventParserTests.typical,
            #"{"a":[1,-2.5e+3,true,false,null,{"b":"\u00e9\ud83d\ude00\n\/"}],"c":{},"d":[]}"#,
            #"[0, 1E2, -0.0, "x\"y", {"k": [[[]]]}]"#,
        ]
        let alphabet = Array(#"{}[]":,.-+eE0123456789tfnul\ /x"#.utf8) + [0x00, 0x0A, 0x80, 0xC3, 0xA9, 0xED, 0xF0]
        var rng: UInt64 = 0x1234_5678_9ABC_DEF1
        func next() -> Int {
            rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17
            return Int(truncatingIfNeeded: rng >> 1)
        }
        var disagreements: [String] = []
        var accepted = 0
        for i in 0..<20_000 {
            var doc = Array(seeds[i % seeds.count].utf8)
            for _ in 0..<(1 + next() % 3) {
                let at = next() % doc.count
                switch next() % 3 {
                case 0: doc[at] = alphabet[next() % alphabet.count]
                case 1: doc.remove(at: at)
                default: doc.insert(alphabet[next() % alphabet.count], at: at)
                }
                if doc.isEmpty { break }
            }
            let ours = scannerAccepts(doc)
            if ours { accepted += 1 }
            // swift-foundation's parser tolerates trailing commas (`[1,]`, `{"a":1,}`); RFC 8259 does not.
            if !ours && Self.hasTrailingComma(doc) { continue }
            if ours != foundationAccepts(doc), disagreements.count < 20 {
                disagreements.append("\(ours ? "accepted" : "rejected"): \(String(decoding: doc, as: UTF8.self).debugDescription) \(doc.filter { $0 >= 0x80 })")
            }
        }
        XCTAssertEqual(disagreements, [])
        XCTAssertGreaterThan(accepted, 100)
    }

    func testDecodedStringsAgreeWithFoundation() throws {
        let pieces = [#"\n"#, #"\""#, #"\\"#, #"\/"#, #"\b"#, #"\f"#, #"\r"#, #"\t"#, #"\u0041"#, #"\u00e9"#, #"\u20ac"#,
                      #"\uD83D\uDE00"#, #"\u0000"#, "a", "Zz", "é", "€", "😀", "/", " ", "0123456789abcdef"]
        var rng: UInt64 = 0x0DDB_1A5E_5BAD_5EED
        func next() -> Int {
            rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17
            return Int(truncatingIfNeeded: rng >> 1)
        }
        var parser = EventParser()
        for _ in 0..<3000 {
            var literal = ""
            for _ in 0..<(next() % 12) { literal += pieces[next() % pieces.count] }
            let doc = #"{"event_type":"click","session_id":"s\#(literal)","timestamp":0,"user_agent":"\#(literal)"}"#
            let expected = try XCTUnwrap(
                JSONSerialization.jsonObject(with: Data(doc.utf8)) as? [String: Any])["user_agent"] as? String
            let event = try parseEvent(Array(doc.utf8), parser: &parser).get()
            XCTAssertEqual(event.userAgent, expected, doc)
            XCTAssertEqual(event.sessionId, "s" + (expected ?? ""), doc)
        }
    }
}
