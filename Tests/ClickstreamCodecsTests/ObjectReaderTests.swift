@testable import ClickstreamCodecs
import ClickstreamTestSupport
import XCTest

final class ObjectReaderTests: XCTestCase {
    let event = #"{"session_id":"s1","event_type":"click","timestamp":"2025-07-03T05:00:00Z"}"# + "\n"

    func testPlainFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("a.json", event)
        var reader = ObjectReader()
        XCTAssertEqual(String(decoding: try reader.read(path), as: UTF8.self), event)
    }

    func testGzipRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let text = String(repeating: event, count: 5_000)  // ~390 KB: output buffer grows past its first guess
        let path = try dir.write("a.json.gz", bytes: gzip(text))
        var reader = ObjectReader()
        XCTAssertEqual(String(decoding: try reader.read(path), as: UTF8.self), text)
        // The same reader serves a smaller file next, from the same buffers.
        let small = try dir.write("b.json.gz", bytes: gzip(event))
        XCTAssertEqual(String(decoding: try reader.read(small), as: UTF8.self), event)
    }

    func testGzipMagicWithoutExtension() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("part-0001", bytes: gzip(event))
        var reader = ObjectReader()
        XCTAssertEqual(String(decoding: try reader.read(path), as: UTF8.self), event)
    }

    func testMultiMemberGzip() throws {
        let dir = try TemporaryDirectory()
        let second = event.replacingOccurrences(of: "s1", with: "s2")
        let path = try dir.write("multi.json.gz", bytes: gzip(event) + gzip(second) + gzip(""))
        var reader = ObjectReader()
        XCTAssertEqual(String(decoding: try reader.read(path), as: UTF8.self), event + second)
    }

    func testGzipCommandOutput() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("cmd.json", String(repeating: event, count: 100))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        process.arguments = ["-9", path]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        var reader = ObjectReader()
        XCTAssertEqual(String(decoding: try reader.read(path + ".gz"), as: UTF8.self), String(repeating: event, count: 100))
    }

    func testTruncatedGzipIsAnError() throws {
        let dir = try TemporaryDirectory()
        let whole = gzip(String(repeating: event, count: 50))
        let path = try dir.write("cut.json.gz", bytes: Array(whole.dropLast(20)))
        var reader = ObjectReader()
        XCTAssertThrowsError(try reader.read(path)) { error in
            XCTAssertEqual("\(error)", "cannot read '\(path)': truncated gzip stream")
            XCTAssertEqual((error as? ObjectReadError)?.kind, .truncatedGzip)
        }
        // Cut inside the header, and right after the magic.
        let header = try dir.write("header.gz", bytes: Array(whole.prefix(5)))
        XCTAssertThrowsError(try reader.read(header)) { error in
            XCTAssertEqual((error as? ObjectReadError)?.kind, .truncatedGzip)
        }
        let magic = try dir.write("magic", bytes: [0x1f, 0x8b])
        XCTAssertThrowsError(try reader.read(magic)) { error in
            XCTAssertEqual((error as? ObjectReadError)?.kind, .truncatedGzip)
        }
        // A truncated second member is an error too, not the first member alone.
        let two = try dir.write("two.gz", bytes: gzip(event) + Array(whole.dropLast(4)))
        XCTAssertThrowsError(try reader.read(two)) { error in
            XCTAssertEqual((error as? ObjectReadError)?.kind, .truncatedGzip)
        }
        // The reader still works after an error.
        let good = try dir.write("good.gz", bytes: gzip(event))
        XCTAssertEqual(String(decoding: try reader.read(good), as: UTF8.self), event)
    }

    func testCorruptGzipNamesZlibsMessage() throws {
        let dir = try TemporaryDirectory()
        var bytes = gzip(String(repeating: event, count: 50))
        bytes[bytes.count - 6] ^= 0xff  // CRC
        let crc = try dir.write("crc.json.gz", bytes: bytes)
        var reader = ObjectReader()
        XCTAssertThrowsError(try reader.read(crc)) { error in
            XCTAssertEqual("\(error)", "cannot read '\(crc)': corrupt gzip data: incorrect data check")
        }
        // Plain JSON named .gz is plain JSON: the magic bytes decide, not the name.
        let plain = try dir.write("plain.json.gz", event)
        XCTAssertEqual(String(decoding: try reader.read(plain), as: UTF8.self), event)
        let trailing = try dir.write("trailing.gz", bytes: gzip(event) + Array("junk".utf8))
        XCTAssertThrowsError(try reader.read(trailing)) { error in
            XCTAssertEqual(
                "\(error)", "cannot read '\(trailing)': corrupt gzip data: unexpected bytes after gzip member at offset \(gzip(event).count)")
        }
        let padded = try dir.write("padded.gz", bytes: gzip(event) + [0, 0, 0, 0])
        XCTAssertEqual(String(decoding: try reader.read(padded), as: UTF8.self), event)
    }

    func testEmptyFiles() throws {
        let dir = try TemporaryDirectory()
        var reader = ObjectReader()
        XCTAssertEqual(try reader.read(try dir.write("empty.json", "")).count, 0)
        XCTAssertEqual(try reader.read(try dir.write("empty.json.gz", "")).count, 0)
        XCTAssertEqual(try reader.read(try dir.write("empty-member.gz", bytes: gzip(""))).count, 0)
    }

    func testIOErrors() throws {
        let dir = try TemporaryDirectory()
        var reader = ObjectReader()
        XCTAssertThrowsError(try reader.read(dir.path + "/missing.json")) { error in
            XCTAssertEqual("\(error)", "cannot read '\(dir.path)/missing.json': I/O error: No such file or directory")
        }
        XCTAssertThrowsError(try reader.read(dir.path)) { error in
            XCTAssertEqual("\(error)", "cannot read '\(dir.path)': I/O error: Is a directory")
        }
    }

    func testLargeFileGrowsTheBuffer() throws {
        let dir = try TemporaryDirectory()
        let text = String(repeating: event, count: 20_000)  // ~1.5 MB, beyond the initial 64 KiB
        let path = try dir.write("big.json", text)
        var reader = ObjectReader()
        XCTAssertEqual(String(decoding: try reader.read(path), as: UTF8.self), text)
    }

    func testGunzipInMemory() throws {
        let text = String(repeating: event, count: 3_000)
        let compressed = gzip(text) + gzip("tail\n")
        var output: [UInt8] = [1, 2, 3]
        try compressed.withUnsafeBytes { try ObjectReader.gunzip($0, into: &output) }
        XCTAssertEqual(String(decoding: output, as: UTF8.self), text + "tail\n")

        try [UInt8]().withUnsafeBytes { try ObjectReader.gunzip($0, into: &output) }
        XCTAssertEqual(output, [])

        let cut = Array(compressed.prefix(100))
        XCTAssertThrowsError(try cut.withUnsafeBytes { try ObjectReader.gunzip($0, into: &output, name: "shard-1/4956") }) { error in
            XCTAssertEqual("\(error)", "cannot read 'shard-1/4956': truncated gzip stream")
        }
    }

    func testGunzipIntoTheReadersBuffer() throws {
        var reader = ObjectReader()
        for n in [1, 400, 2] {
            let text = String(repeating: event, count: n)
            let compressed = gzip(text)
            let view = try compressed.withUnsafeBytes { bytes -> UnsafeRawBufferPointer in
                XCTAssertTrue(ObjectReader.hasGzipMagic(bytes))
                return try reader.gunzip(bytes, name: "record \(n)")
            }
            XCTAssertEqual(String(decoding: view, as: UTF8.self), text)
        }
        let plain = Array(event.utf8)
        plain.withUnsafeBytes { XCTAssertFalse(ObjectReader.hasGzipMagic($0)) }
        XCTAssertThrowsError(try plain.withUnsafeBytes { try reader.gunzip($0, name: "record 9") }) { error in
            XCTAssertEqual("\(error)", "cannot read 'record 9': corrupt gzip data: incorrect header check")
        }
    }

    func testInflatingStopsAtTheLimitAndAsksForNoMoreRoom() throws {
        let zeros = gzip([UInt8](repeating: 0, count: 4 << 20))
        let inflater = try GzipInflater()
        var largest = 0
        var out = [UInt8]()
        XCTAssertThrowsError(try zeros.withUnsafeBytes { input in
            try inflater.inflate(input, limit: 1 << 20) { produced, minimum, body in
                largest = max(largest, minimum)
                if out.count < minimum { out.append(contentsOf: repeatElement(0, count: minimum - out.count)) }
                return out.withUnsafeMutableBytes { body($0) }
            }
        }) { error in
            XCTAssertEqual(error as? ObjectReadError.Kind, .tooLarge(limit: 1 << 20))
            XCTAssertEqual("\(error)", "gzip data inflates to more than 1048576 bytes, the limit for one object (CLICKSTREAM_MAX_INFLATED_BYTES)")
        }
        XCTAssertEqual(largest, 1 << 20, "room is never asked beyond the limit")
        // Exactly at the limit is fine.
        let exact = try zeros.withUnsafeBytes { input in
            try inflater.inflate(input, limit: 4 << 20) { produced, minimum, body in
                if out.count < minimum { out.append(contentsOf: repeatElement(0, count: minimum - out.count)) }
                return out.withUnsafeMutableBytes { body($0) }
            }
        }
        XCTAssertEqual(exact, 4 << 20)
    }

    func testContentOfBytesFollowsTheOneGzipRule() throws {
        var reader = ObjectReader()
        let plain = Array(event.utf8)
        try plain.withUnsafeBytes { bytes in
            // Not gzip by name or magic: the bytes themselves, not a copy.
            XCTAssertEqual(try reader.content(of: bytes, name: "s3://b/k.json").baseAddress, bytes.baseAddress)
            // Named .gz but without the magic: the bytes themselves too.
            XCTAssertEqual(try reader.content(of: bytes, name: "s3://b/k.json.gz").baseAddress, bytes.baseAddress)
        }
        // The magic decides whatever the name.
        let compressed = gzip(event + event)
        try compressed.withUnsafeBytes { bytes in
            XCTAssertEqual(String(decoding: try reader.content(of: bytes, name: "kinesis://s/shardId-0 sequence 7"), as: UTF8.self),
                           event + event)
        }
        try [UInt8]().withUnsafeBytes { XCTAssertEqual(try reader.content(of: $0, name: "empty.gz").count, 0) }
    }
}
