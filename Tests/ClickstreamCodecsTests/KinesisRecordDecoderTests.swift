@testable import ClickstreamCodecs
import ClickstreamCore
import XCTest

/// Kinesis records through the one gzip rule, nested: a gzip record holding a KPL aggregate of gzip sub-records.
final class KinesisRecordDecoderTests: XCTestCase {
    static func varint(_ v: Int) -> [UInt8] {
        var v = UInt64(v), out: [UInt8] = []
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        return out + [UInt8(v)]
    }

    static func field(_ number: Int, _ bytes: [UInt8]) -> [UInt8] { varint(number << 3 | 2) + varint(bytes.count) + bytes }

    /// Magic, protobuf `AggregatedRecord` (one partition key, a record per payload), 16-byte trailer (not checked).
    static func kpl(_ payloads: [[UInt8]]) -> [UInt8] {
        var body = field(1, Array("pk".utf8))
        for p in payloads { body += field(3, varint(1 << 3 | 0) + varint(0) + field(3, p)) }
        return [0xF3, 0x89, 0x9A, 0xC2] + body + [UInt8](repeating: 0xAB, count: 16)
    }

    static func event(_ session: String, second: Int) -> String {
        #"{"event_type":"click","session_id":"\#(session)","timestamp":"2025-07-03T05:00:0\#(second)Z"}"#
    }

    func testGzipSubRecordsInsideAGzipAggregateDoNotOverwriteIt() {
        // Each sub-record inflates to more than the aggregate around it, so a nested inflate into the buffer that
        // holds the aggregate would overwrite the sub-records after it.
        let lines = (0..<4).map { i in String(repeating: Self.event("s\(i)", second: i) + "\n", count: 200) }
        let record = gzip(Self.kpl(lines.map { gzip($0) }))
        var decoder = KinesisRecordDecoder()
        var buffer = IngestBuffer(window: Int64.min..<Int64.max)
        for sequence in ["1", "2"] {
            decoder.ingest(record, source: "kinesis://s/shardId-0", sequenceNumber: sequence, into: &buffer)
        }
        XCTAssertEqual(buffer.quarantine.map(\.message), [])
        XCTAssertEqual(buffer.stats.documents, 1_600)
        XCTAssertEqual((1...buffer.sessions.count).map { buffer.sessions.string(of: UInt32($0)) }, ["s0", "s1", "s2", "s3"])
    }

    func testACorruptGzipRecordIsOneUnreadableRow() {
        var decoder = KinesisRecordDecoder()
        var buffer = IngestBuffer(window: Int64.min..<Int64.max)
        decoder.ingest(Array(gzip(Self.event("a", second: 0)).prefix(12)), source: "kinesis://s/shardId-0", sequenceNumber: "9",
                       into: &buffer)
        XCTAssertEqual(buffer.quarantine.map { "\($0.location) \($0.reason.rawValue) \($0.message)" },
                       ["sequence 9 unreadable sequence 9: cannot read 'kinesis://s/shardId-0 sequence 9': truncated gzip stream"])
    }
}
