import ClickstreamCodecs
import ClickstreamCore
import ClickstreamTestSupport
import SourceLocal
import XCTest

final class LocalArchiveTests: XCTestCase {
    let hourMs: Int64 = 3_600_000
    // 2025-07-03T00:00:00Z
    let july3: Int64 = 1_751_500_800_000

    func testEachLayoutMixedInOneTree() throws {
        let dir = try TemporaryDirectory()
        try dir.write("year=2025/month=7/day=3/hour=5/a.json", "{}")
        try dir.write("year=2025/month=07/day=03/hour=06/b.json", "{}")
        try dir.write("firehose/2025/07/03/07/c.json", "{}")
        try dir.write("loose.json", "{}")
        try dir.write("year=2025/month=7/early.json", "{}")

        let archive = try LocalArchive(root: dir.path)
        let files = try archive.files(from: july3, to: july3 + 24 * hourMs)
        XCTAssertEqual(files.map(\.relativePath), [
            "firehose/2025/07/03/07/c.json",
            "loose.json",
            "year=2025/month=07/day=03/hour=06/b.json",
            "year=2025/month=7/day=3/hour=5/a.json",
            "year=2025/month=7/early.json",
        ])
        XCTAssertEqual(files.map(\.partitionHour), [july3 + 7 * hourMs, nil, july3 + 6 * hourMs, july3 + 5 * hourMs, nil])
        XCTAssertEqual(files[1].path, dir.path + "/loose.json")
        XCTAssertEqual(files.map(\.size), [2, 2, 2, 2, 2])
    }

    /// 48 hours over two days (24 hour folders each); a one-hour window at 2025-07-04T12:00 with the default
    /// one-hour slack lists hours 11, 12 and 13 of July 4 only, and never opens July 3.
    func testPruningVisitsOnlyTheHoursAroundTheWindow() throws {
        let dir = try TemporaryDirectory()
        for day in [3, 4] {
            for hour in 0..<24 {
                try dir.write("year=2025/month=7/day=\(day)/hour=\(hour)/events-\(hour).json", "{}")
            }
        }
        try dir.write("year=2025/month=6/day=30/hour=23/june.json", "{}")
        try dir.write("year=2024/month=7/day=4/hour=12/last-year.json", "{}")

        let windowStart = july3 + 36 * hourMs
        let listing = try LocalArchive(root: dir.path).list(from: windowStart, to: windowStart + hourMs)
        XCTAssertEqual(listing.files.map(\.relativePath), [
            "year=2025/month=7/day=4/hour=11/events-11.json",
            "year=2025/month=7/day=4/hour=12/events-12.json",
            "year=2025/month=7/day=4/hour=13/events-13.json",
        ])
        XCTAssertEqual(listing.files.map(\.partitionHour), [windowStart - hourMs, windowStart, windowStart + hourMs])
        // Visited: root, year=2025, month=7, day=4, hour=11, hour=12, hour=13.
        XCTAssertEqual(listing.directoriesVisited, 7)
        // Pruned: year=2024, month=6, day=3, and 21 hours of July 4.
        XCTAssertEqual(listing.directoriesPruned, 24)

        // With no slack, only the window's own hour.
        let exact = try LocalArchive(root: dir.path).files(from: windowStart, to: windowStart + hourMs, slack: 0)
        XCTAssertEqual(exact.map(\.relativePath), ["year=2025/month=7/day=4/hour=12/events-12.json"])

        // A window across midnight reaches into both days.
        let midnight = july3 + 24 * hourMs
        let across = try LocalArchive(root: dir.path).files(from: midnight - 1, to: midnight + 1)
        XCTAssertEqual(across.map(\.relativePath), [
            "year=2025/month=7/day=3/hour=22/events-22.json",
            "year=2025/month=7/day=3/hour=23/events-23.json",
            "year=2025/month=7/day=4/hour=0/events-0.json",
            "year=2025/month=7/day=4/hour=1/events-1.json",
        ])
    }

    func testFirehoseTreeIsPrunedToo() throws {
        let dir = try TemporaryDirectory()
        for hour in 0..<24 {
            try dir.write(String(format: "2025/07/03/%02d/f.json", hour), "{}")
        }
        let listing = try LocalArchive(root: dir.path).list(from: july3 + 10 * hourMs, to: july3 + 11 * hourMs)
        XCTAssertEqual(listing.files.map(\.relativePath), ["2025/07/03/09/f.json", "2025/07/03/10/f.json", "2025/07/03/11/f.json"])
        XCTAssertEqual(listing.directoriesVisited, 7)
        XCTAssertEqual(listing.directoriesPruned, 21)
    }

    func testUnparsableFolderStopsPruningBelowIt() throws {
        let dir = try TemporaryDirectory()
        try dir.write("year=2025/month=7/misc/day=1/hour=0/a.json", "{}")
        try dir.write("year=2025/month=13/b.json", "{}")
        try dir.write("year=2025/month=8/c.json", "{}")
        let files = try LocalArchive(root: dir.path).files(from: july3, to: july3 + hourMs)
        XCTAssertEqual(files.map(\.relativePath), ["year=2025/month=13/b.json", "year=2025/month=7/misc/day=1/hour=0/a.json"])
        XCTAssertEqual(files.map(\.partitionHour), [nil, nil])
    }

    func testUnderscoreAndDotNamesAreSkipped() throws {
        let dir = try TemporaryDirectory()
        try dir.write("year=2025/month=7/day=3/hour=5/a.json", "{}")
        try dir.write("year=2025/month=7/day=3/hour=5/_SUCCESS", "")
        try dir.write("year=2025/month=7/day=3/hour=5/.a.json.crc", "x")
        try dir.write("_temporary/0/b.json", "{}")
        try dir.write(".hidden/c.json", "{}")
        try dir.write(".DS_Store", "x")
        let listing = try LocalArchive(root: dir.path).list(from: july3, to: july3 + 24 * hourMs)
        XCTAssertEqual(listing.files.map(\.relativePath), ["year=2025/month=7/day=3/hour=5/a.json"])
        XCTAssertEqual(listing.entriesSkipped, 5)
        XCTAssertEqual(listing.directoriesVisited, 5)
    }

    func testRootSpellings() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a/x.json", "{}")
        let url = try LocalArchive(root: "file://" + dir.path + "/")
        XCTAssertEqual(url.root, dir.path)
        XCTAssertEqual(try url.files(from: 0, to: 1).map(\.path), [dir.path + "/a/x.json"])

        try dir.write("with space/y.json", "{}")
        let encoded = try LocalArchive(root: "file://localhost" + dir.path + "/with%20space")
        XCTAssertEqual(encoded.root, dir.path + "/with space")

        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(dir.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let relative = try LocalArchive(root: "./a")
        XCTAssertEqual(relative.root, dir.path + "/a")
        XCTAssertEqual(try relative.files(from: 0, to: 1).map(\.relativePath), ["x.json"])
    }

    func testASingleFileOrAGlobIsReadWhateverItsPartition() throws {
        let dir = try TemporaryDirectory()
        try dir.write("year=2025/month=7/day=3/hour=5/a.json", "{}")
        try dir.write("exports/one.ndjson", "{}")
        try dir.write("exports/two.ndjson", "{}")
        try dir.write("exports/skip.txt", "{}")
        let one = try LocalArchive(root: dir.path + "/exports/one.ndjson")
        // Far from the file's (absent) partition: a named file is always read.
        XCTAssertEqual(try one.files(from: 0, to: 1).map(\.path), [dir.path + "/exports/one.ndjson"])
        let globbed = try LocalArchive(glob: dir.path + "/exports/*.ndjson")
        XCTAssertEqual(try globbed.files(from: 0, to: 1).map(\.path), [dir.path + "/exports/one.ndjson", dir.path + "/exports/two.ndjson"])
        XCTAssertTrue(LocalArchive.isGlob("exports/*.ndjson"))
        XCTAssertFalse(LocalArchive.isGlob("./archive"))
    }

    func testRootErrorsNameThePath() throws {
        let dir = try TemporaryDirectory()
        XCTAssertThrowsError(try LocalArchive(root: dir.path + "/missing")) { error in
            XCTAssertEqual("\(error)", "archive root '\(dir.path)/missing' does not exist")
        }
        XCTAssertThrowsError(try LocalArchive(root: "file://" + dir.path + "/missing")) { error in
            XCTAssertEqual("\(error)", "archive root 'file://\(dir.path)/missing' does not exist")
        }
        XCTAssertThrowsError(try LocalArchive(glob: dir.path + "/*.nothing")) { error in
            XCTAssertEqual("\(error)", "archive root '\(dir.path)/*.nothing' does not exist")
        }
        XCTAssertThrowsError(try LocalArchive(root: "file://bucket-host/archive")) { error in
            XCTAssertEqual(
                "\(error)",
                "archive URL 'file://bucket-host/archive' is not supported: only local files are supported (file:///absolute/path)")
        }
    }

    func testEmptyArchive() throws {
        let dir = try TemporaryDirectory()
        let listing = try LocalArchive(root: dir.path).list(from: 0, to: 1)
        XCTAssertEqual(listing.files, [])
        XCTAssertEqual(listing.directoriesVisited, 1)
        XCTAssertEqual(listing.directoriesPruned, 0)
    }

    func testSymbolicLinksAreFollowedButCyclesAreNot() throws {
        let dir = try TemporaryDirectory()
        try dir.write("real/2025/07/03/05/a.json", "{}")
        try FileManager.default.createSymbolicLink(atPath: dir.url("linked"), withDestinationPath: dir.url("real"))
        try FileManager.default.createSymbolicLink(atPath: dir.url("real/loop"), withDestinationPath: dir.url("real"))
        try FileManager.default.createSymbolicLink(atPath: dir.url("dangling.json"), withDestinationPath: dir.url("nowhere"))
        // `loop` points back at its own parent: skipped wherever it is met (below `real` and below `linked`).
        let listing = try LocalArchive(root: dir.path).list(from: july3, to: july3 + 24 * hourMs)
        XCTAssertEqual(listing.files.map(\.relativePath), ["linked/2025/07/03/05/a.json", "real/2025/07/03/05/a.json"])
        XCTAssertEqual(listing.entriesSkipped, 3)
    }
}
