import ClickstreamStore
import ClickstreamTestSupport
import Foundation
import XCTest

/// Hostile archive contents through the real binary: a gzip bomb under a memory cap, plain JSON named `.gz`.
final class HostileInputCLITests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory() }

    let hour = "arch/year=2025/month=7/day=3/hour=5/"
    let window = ["--from", "2025-07-03T05:00Z", "--to", "2025-07-03T06:00Z"]

    func event(_ session: String, _ second: Int) -> String {
        "{\"event_type\":\"click\",\"session_id\":\"\(session)\",\"timestamp\":\"2025-07-03T05:00:\(String(format: "%02d", second)).250Z\"}"
    }

    func sh(_ script: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        p.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, script)
    }

    /// Runs the binary under `/usr/bin/time -f %M`: its result and peak resident set in KiB.
    func measured(_ args: [String], env: [String: String]) throws -> (ClickstreamBinary.Result, Int) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        p.arguments = ["-f", "%M", "-o", dir.url("rss.txt"), ClickstreamBinary.path] + args
        p.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let r = try ProcessOutput.run(p, input: nil)
        let rss = Int(try String(contentsOfFile: dir.url("rss.txt"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        return (ClickstreamBinary.Result(status: r.status, stdout: String(decoding: r.stdout, as: UTF8.self),
                                         stderr: String(decoding: r.stderr, as: UTF8.self)), rss)
    }

    func testAGzipBombIsQuarantinedUnderTheCapWithoutInflatingIt() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else { throw XCTSkip("no /usr/bin/time to measure peak RSS") }
        try dir.write(hour + "good.json", event("a", 1) + "\n" + event("b", 2) + "\n")
        // 512 MiB of zeros in about 2 MB (gzip -1).
        try sh("head -c 536870912 /dev/zero | gzip -1 > \(hour)bomb.json.gz")
        let bombBytes = try FileManager.default.attributesOfItem(atPath: dir.url(hour + "bomb.json.gz"))[.size] as! Int
        XCTAssertLessThan(bombBytes, 4 << 20)
        let cap = 8 << 20
        let (r, rssKiB) = try measured(["replay", "arch"] + window + ["--db", "c.sqlite"], env: ["CLICKSTREAM_MAX_INFLATED_BYTES": "\(cap)"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("2 new distinct, 0 duplicates, 0 outside the window, 1 quarantined (unreadable 1)"), r.stdout)
        let d = try Database(path: dir.url("c.sqlite"), readOnly: true)
        XCTAssertEqual(try d.prepare("SELECT location, reason, message FROM quarantine").rows(), [[
            .text("object"), .text("unreadable"),
            .text("cannot read '\(dir.url(hour + "bomb.json.gz"))': gzip data inflates to more than 8388608 bytes, the limit for one object "
                  + "(CLICKSTREAM_MAX_INFLATED_BYTES)"),
        ]])
        XCTAssertEqual(try d.scalarInt("SELECT sum(view_count) FROM page_metrics"), nil, "clicks only")
        XCTAssertEqual(try d.scalarInt("SELECT count(*) FROM session_metrics"), 2)
        // The whole run stays far below what inflating the bomb would take (512 MiB).
        print("gzip bomb: \(bombBytes) bytes -> 512 MiB; cap \(cap) bytes; peak RSS \(rssKiB) KiB")
        XCTAssertGreaterThan(rssKiB, 0)
        XCTAssertLessThan(rssKiB, 160 * 1024, "peak RSS \(rssKiB) KiB")
    }

    func testPlainJSONNamedGzIsReadAsJSON() throws {
        try dir.write(hour + "plain.json.gz", event("a", 1) + "\n" + event("b", 2) + "\n")
        let r = try ClickstreamBinary.run(["replay", "arch"] + window + ["--db", "c.sqlite"], in: dir.path)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("2 new distinct, 0 duplicates, 0 outside the window, 0 quarantined"), r.stdout)
        // And gzip named .json is gunzipped (the magic decides).
        try sh("printf '%s\\n' '\(event("c", 3))' | gzip > \(hour)zipped.json")
        let g = try ClickstreamBinary.run(["replay", "arch"] + window + ["--db", "c.sqlite"], in: dir.path)
        XCTAssertEqual(g.status, 0, g.stderr)
        XCTAssertTrue(g.stdout.contains("1 new distinct, 2 duplicates, 0 outside the window, 0 quarantined"), g.stdout)
    }

    /// As root a chmod 000 folder is still readable; in a user namespace without a mapping (`unshare -U`) the
    /// process loses its capabilities over the files and the mode holds. Without it the test is skipped.
    func testAnUnreadableSubFolderIsOneUnreadableRowAndTheRestIsRead() throws {
        try dir.write(hour + "a.json", event("a", 1) + "\n")
        try dir.write("arch/year=2025/month=7/day=3/hour=6/b.json", "{\"event_type\":\"click\",\"session_id\":\"b\",\"timestamp\":\"2025-07-03T06:00:01Z\"}\n")
        let locked = dir.url("arch/year=2025/month=7/day=3/hour=6")
        XCTAssertEqual(chmod(locked, 0), 0)
        defer { chmod(locked, 0o755) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        p.arguments = ["-U", "sh", "-c", "cat '\(locked)/b.json' >/dev/null 2>&1 && exit 99; exec '\(ClickstreamBinary.path)' replay arch "
                       + "--from 2025-07-03 --to 2025-07-04 --db c.sqlite"]
        p.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare"), let r = try? ProcessOutput.run(p, input: nil), r.status != 99 else {
            throw XCTSkip("cannot make a folder unreadable here (unshare -U)")
        }
        XCTAssertEqual(r.status, 0, String(decoding: r.stderr, as: UTF8.self))
        XCTAssertTrue(String(decoding: r.stdout, as: UTF8.self).contains("1 new distinct, 0 duplicates, 0 outside the window, 1 quarantined (unreadable 1)"),
                      String(decoding: r.stdout, as: UTF8.self))
        let d = try Database(path: dir.url("c.sqlite"), readOnly: true)
        XCTAssertEqual(try d.prepare("SELECT source, location, reason, message FROM quarantine").rows(), [[
            .text(locked), .text("directory"), .text("unreadable"), .text("cannot read directory '\(locked)': Permission denied"),
        ]])
        XCTAssertEqual(try d.scalarInt("SELECT count(*) FROM session_metrics"), 1)
    }

    func testARebuildDropsTheQuarantineRowsOfObjectsNowReadCleanly() throws {
        try dir.write(hour + "a.json", event("a", 1) + "\n{\"event_type\": \"click\", \"session_id\": \n")
        try dir.write(hour + "cut.json.gz", bytes: [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2])
        // Another day: not listed by this window, its row stays.
        try dir.write("arch/year=2025/month=7/day=9/hour=1/far.json", "[1]\n")
        func replay(_ extra: [String], _ w: [String]) throws -> ClickstreamBinary.Result {
            let r = try ClickstreamBinary.run(["replay", "arch"] + w + ["--db", "c.sqlite"] + extra, in: dir.path)
            XCTAssertEqual(r.status, 0, r.stderr)
            return r
        }
        _ = try replay([], window)
        _ = try replay([], ["--from", "2025-07-09T01:00Z", "--to", "2025-07-09T02:00Z"])
        func rows() throws -> [[SQLValue]] {
            try Database(path: dir.url("c.sqlite"), readOnly: true).prepare("SELECT source, reason FROM quarantine ORDER BY source").rows()
        }
        XCTAssertEqual(try rows(), [
            [.text(dir.url(hour + "a.json")), .text("invalid_json")],
            [.text(dir.url(hour + "cut.json.gz")), .text("unreadable")],
            [.text(dir.url("arch/year=2025/month=7/day=9/hour=1/far.json")), .text("not_object")],
        ])
        // Fixed upstream: a.json is clean now, cut.json.gz is still cut.
        try dir.write(hour + "a.json", event("a", 1) + "\n")
        let r = try replay(["--rebuild"], window)
        XCTAssertTrue(r.stdout.contains("1 quarantined (unreadable 1)"), r.stdout)
        XCTAssertEqual(try rows(), [
            [.text(dir.url(hour + "cut.json.gz")), .text("unreadable")],
            [.text(dir.url("arch/year=2025/month=7/day=9/hour=1/far.json")), .text("not_object")],
        ])
        // Without --rebuild nothing is forgotten (a plain replay only adds).
        try dir.write(hour + "cut.json.gz", bytes: gzip(event("c", 3)))
        _ = try replay([], window)
        XCTAssertEqual(try rows().count, 2)
        _ = try replay(["--rebuild"], window)
        XCTAssertEqual(try rows(), [[.text(dir.url("arch/year=2025/month=7/day=9/hour=1/far.json")), .text("not_object")]])
    }

    func gzip(_ text: String) throws -> [UInt8] {
        try dir.write("tmp-gz", text + "\n")
        try sh("gzip -f tmp-gz")
        return Array(try Data(contentsOf: URL(fileURLWithPath: dir.url("tmp-gz.gz"))))
    }
}
