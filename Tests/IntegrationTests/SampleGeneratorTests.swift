import ClickstreamExport
import ClickstreamJobs
import ClickstreamPipeline
import ClickstreamRuns
import ClickstreamSamples
import Foundation
import SourceKinesis
import SourceLocal
import SourceS3
import XCTest

final class SampleGeneratorTests: XCTestCase {
    var dir: String!
    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "clickstream-sample-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try FileManager.default.removeItem(atPath: dir) }

    func options(seed: UInt64 = 7) -> SampleGenerator.Options {
        SampleGenerator.Options(seed: seed, startHourMs: 1_751_518_800_000, hours: 3, events: 6_000) // 2025-07-03T05Z
    }

    /// Relative path -> bytes of every file under `root`.
    func files(_ root: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: root)!
        while let p = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + p, isDirectory: &isDir), !isDir.boolValue {
                out[p] = FileManager.default.contents(atPath: root + "/" + p)
            }
        }
        return out
    }

    func testSameSeedSameBytesAndADifferentSeedDiffers() throws {
        for layout in ["ndjson", "files"] {
            var outputs: [[String: Data]] = []
            for (i, seed) in [7, 7, 8].enumerated() {
                let d = dir + "/\(layout)\(i)"
                var o = options(seed: UInt64(seed))
                o.events = 1_500
                let g = SampleGenerator(options: o)
                _ = layout == "ndjson" ? try g.writeNDJSON(to: d) : try g.writeOneEventPerFile(to: d)
                outputs.append(try files(d))
            }
            XCTAssertEqual(outputs[0], outputs[1], layout)
            XCTAssertNotEqual(outputs[0], outputs[2], layout)
        }
    }

    func testNDJSONReportMatchesTheFiles() throws {
        let report = try SampleGenerator(options: options()).writeNDJSON(to: dir)
        let all = try files(dir)
        XCTAssertEqual(all.keys.sorted(), [
            "year=2025/month=7/day=3/hour=5/events.ndjson",
            "year=2025/month=7/day=3/hour=6/events.ndjson",
            "year=2025/month=7/day=3/hour=7/events.ndjson",
        ])
        XCTAssertEqual(report.files, 3)
        XCTAssertEqual(report.bytes, all.values.reduce(0) { $0 + $1.count })
        let lines = all.values.flatMap { $0.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() }
        XCTAssertEqual(report.distinctEvents, 6_000)
        XCTAssertEqual(report.duplicates, 60)
        XCTAssertEqual(report.badLines, 6)
        XCTAssertEqual(report.events, 6_060)
        XCTAssertEqual(lines.count, report.events + report.badLines)
        XCTAssertEqual(Set(lines.map { Data($0) }).count, lines.count - report.duplicates)
        let parsed = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
        let valid = parsed.filter { ($0["session_id"] as? String) != nil && ($0["event_type"] as? String) != nil
            && ($0["timestamp"] as? String) != "2025-02-30T10:00:00Z" }
        XCTAssertEqual(valid.count, report.events)
        XCTAssertTrue(valid.contains { ($0["user_agent"] as? String)?.contains("Googlebot") == true })
        XCTAssertTrue(valid.contains { $0["timestamp"] is NSNumber })
        XCTAssertTrue(valid.contains { ($0["timestamp"] as? String)?.hasSuffix("+02:00") == true })
    }

    func testEventsLieInTheirPartitionHourExceptAFew() throws {
        _ = try SampleGenerator(options: options()).writeNDJSON(to: dir)
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var inHour = 0, neighbour = 0
        for (path, data) in try files(dir) {
            let hour = Int(path.split(separator: "/")[3].dropFirst(5))!
            for line in data.split(separator: 0x0A) {
                guard let o = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                      o["session_id"] is String, o["event_type"] is String else { continue }
                let ms: Int64
                if let n = o["timestamp"] as? NSNumber { ms = n.int64Value }
                else if let s = o["timestamp"] as? String, let d = iso.date(from: s) { ms = Int64((d.timeIntervalSince1970 * 1000).rounded()) }
                else { continue }
                let h = Int(ms / 3_600_000 % 24)
                if h == hour { inHour += 1 } else { XCTAssertEqual(abs(h - hour), 1); neighbour += 1 }
            }
        }
        XCTAssertGreaterThan(neighbour, 0)
        XCTAssertLessThan(Double(neighbour) / Double(inHour + neighbour), 0.02)
    }

    func testOneEventPerFileLayout() throws {
        let report = try SampleGenerator(options: options()).writeOneEventPerFile(to: dir)
        let all = try files(dir)
        XCTAssertEqual(all.count, report.events + report.badLines)
        XCTAssertEqual(report.files, all.count)
        XCTAssertEqual(report.bytes, all.values.reduce(0) { $0 + $1.count })
        XCTAssertEqual(Set(all.keys.map { $0.split(separator: "/").prefix(4).joined(separator: "/") }), [
            "year=2025/month=7/day=3/hour=5", "year=2025/month=7/day=3/hour=6", "year=2025/month=7/day=3/hour=7",
        ])
        XCTAssertTrue(all.keys.allSatisfy { $0.hasSuffix(".json") && $0.split(separator: "/").last!.count == 41 })
        XCTAssertEqual(Set(all.values).count, all.count - report.duplicates)
    }

    func testPartitionPathIsNotPadded() {
        XCTAssertEqual(SampleGenerator.partitionPath(hourMs: 1_751_518_800_000), "year=2025/month=7/day=3/hour=5")
        XCTAssertEqual(SampleGenerator.partitionPath(hourMs: 1_735_689_600_000 - 3_600_000), "year=2024/month=12/day=31/hour=23")
    }

    func testGzipIsReadableByGunzip() throws {
        var o = options()
        o.hours = 1
        o.events = 500
        let report = try SampleGenerator(options: o).writeNDJSON(to: dir, gzip: true)
        let path = dir + "/year=2025/month=7/day=3/hour=5/events.ndjson.gz"
        XCTAssertEqual(report.files, 1)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -dc '\(path)' | wc -l"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        p.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(Int(out.trimmingCharacters(in: .whitespacesAndNewlines)), report.events + report.badLines)
    }
}
