@testable import ClickstreamCodecs
import ClickstreamCore
import ClickstreamSamples
@testable import SourceKinesis
import XCTest

final class KinesisRecordDecoderTests: XCTestCase {
    static func varint(_ v: Int) -> [UInt8] {
        var v = UInt64(v), out: [UInt8] = []
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        return out + [UInt8(v)]
    }

    static func field(_ number: Int, _ bytes: [UInt8]) -> [UInt8] { varint(number << 3 | 2) + varint(bytes.count) + bytes }

    /// A KPL aggregated record built by hand: magic, protobuf `AggregatedRecord`, 16-byte MD5 trailer (not checked).
    static func kpl(_ payloads: [[UInt8]]) -> [UInt8] {
        var body = field(1, Array("pk".utf8))
        for p in payloads {
            body += field(3, varint(1 << 3 | 0) + varint(0) + field(3, p))
        }
        return [0xF3, 0x89, 0x9A, 0xC2] + body + [UInt8](repeating: 0xAB, count: 16)
    }

    let window = day0..<(day0 + hourMs)

    func decode(_ records: [(String, [UInt8])]) -> IngestBuffer {
        var decoder = KinesisRecordDecoder()
        var buffer = IngestBuffer(window: window)
        for (seq, data) in records { decoder.ingest(data, source: "kinesis://s/shardId-0", sequenceNumber: seq, into: &buffer) }
        return buffer
    }

    func testPlainGzipAndAggregatedRecords() {
        let a = Array(eventLine(session: "a", at: day0).utf8)
        let b = Array(eventLine(session: "b", at: day0 + 1).utf8)
        let c = Array((eventLine(session: "c", at: day0 + 2) + "\n" + eventLine(session: "d", at: day0 + 3)).utf8)
        let buffer = decode([("1", a), ("2", Gzip.stored(b)), ("3", Self.kpl([a, Gzip.stored(c)]))])
        XCTAssertEqual(buffer.stats.documents, 5)
        XCTAssertEqual(buffer.stats.inWindow, 5)
        XCTAssertEqual(buffer.records.count, 5)
        XCTAssertTrue(buffer.quarantine.isEmpty)
    }

    func testBadRecordsAreQuarantinedWithTheirSequenceNumber() {
        let good = Array(eventLine(session: "a", at: day0).utf8)
        var corrupt = Self.kpl([good])
        corrupt[5] = 0xFF  // a length running past the end
        let truncatedGzip = Array(Gzip.stored(good).prefix(15))
        let buffer = decode([("7", corrupt), ("8", truncatedGzip), ("9", Self.kpl([good, Array("{not json".utf8)]))])
        XCTAssertEqual(buffer.quarantine.map(\.location), ["sequence 7", "sequence 8", "sequence 9 record 1 line 1"])
        XCTAssertEqual(buffer.quarantine.map(\.reason), [.unreadable, .unreadable, .invalidJSON])
        XCTAssertEqual(buffer.quarantine.map(\.source), Array(repeating: "kinesis://s/shardId-0", count: 3))
        XCTAssertEqual(buffer.stats.inWindow, 1)
    }

    func testSequenceNumbersCompareAsIntegers() {
        XCTAssertEqual(SequenceNumber.compare("9", "10"), -1)
        XCTAssertEqual(SequenceNumber.compare("49590338271490256608559692538361571095921575989136588898", "49590338271490256608559692538361571095921575989136588899"), -1)
        XCTAssertEqual(SequenceNumber.compare("0012", "12"), 0)
        XCTAssertEqual(SequenceNumber.compare("100", "99"), 1)
    }
}
