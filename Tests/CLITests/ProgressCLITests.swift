import ClickstreamTestSupport
import Foundation
import XCTest

/// Progress as a person at a terminal sees it: the binary runs under a pseudo-terminal (`script`), where progress
/// is on by default; piped, it is off.
final class ProgressCLITests: XCTestCase {
    func testAReplayAtATerminalShowsAPercentageAndTheCommit() throws {
        let dir = try TemporaryDirectory()
        let demo = try ClickstreamBinary.run(["demo", "--events", "3000", "--hours", "3", "--dir", dir.url("demo-archive"),
                                              "--db", dir.url("seed.sqlite"), "-q"], in: dir.path)
        XCTAssertEqual(demo.status, 0, demo.stderr)
        let r = try ClickstreamBinary.runInTerminal(["replay", "./demo-archive", "--from", "2025-07-03", "--to", "2025-07-04",
                                                     "--db", "c.sqlite"], in: dir.path, environment: ["NO_COLOR": "1"])
        XCTAssertEqual(r.status, 0, r.stdout)
        // Every file was read by the time the workers hand in their counts: the line says all of it, and 100 %.
        XCTAssertTrue(r.stdout.range(of: #"\e\[K([0-9,]+)/\1 objects \(100%\), 3,033 events, 0 MiB, [0-9,]+ events/s"#,
                                     options: .regularExpression) != nil, r.stdout)
        XCTAssertTrue(r.stdout.contains("\u{1B}[Kcommitting to SQLite…"), "the commit is a phase of its own: \(r.stdout)")
        XCTAssertTrue(r.stdout.contains("Replayed 3,033 events from 3,033 objects"), r.stdout)
        // Piped, the same replay prints no progress line at all.
        let piped = try ClickstreamBinary.run(["replay", "./demo-archive", "--from", "2025-07-03", "--to", "2025-07-04",
                                               "--rebuild", "--db", "c.sqlite"], in: dir.path)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertFalse(piped.stderr.contains("%"), piped.stderr)
        XCTAssertFalse(piped.stderr.contains("committing to SQLite"), piped.stderr)
    }

    func testProgressFieldsInJSON() throws {
        let dir = try TemporaryDirectory()
        let demo = try ClickstreamBinary.run(["demo", "--events", "500", "--hours", "1", "--dir", dir.url("demo-archive"),
                                              "--db", dir.url("seed.sqlite"), "-q"], in: dir.path)
        XCTAssertEqual(demo.status, 0, demo.stderr)
        let r = try ClickstreamBinary.run(["replay", "./demo-archive", "--from", "2025-07-03", "--to", "2025-07-04", "--db", "c.sqlite",
                                           "--progress", "--log-format", "json"], in: dir.path)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = try r.stderr.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let reading = lines.filter { $0["event"] as? String == "progress" && $0["objects"] != nil }
        XCTAssertEqual(reading.last?["percent"] as? Int, 100, r.stderr)
        XCTAssertEqual(reading.last?["events"] as? Int, 506, "every document read, the bad ones too: \(r.stderr)")
        XCTAssertEqual(reading.last?["objects"] as? Int, reading.last?["objects_total"] as? Int, r.stderr)
        let phases = lines.compactMap { $0["phase"] as? String }
        XCTAssertEqual(Array(Set(phases)).sorted(), ["committing to SQLite…", "writing sessions and the last batches to SQLite…"], r.stderr)
    }
}
