import ClickstreamStore
import ClickstreamTestSupport
import Foundation
import XCTest

/// The embedded default: `clickstream demo` generates, replays and queries; running it again adds nothing.
final class DemoCLITests: XCTestCase {
    func testDemoTwiceThenStatus() throws {
        let dir = try TemporaryDirectory()
        let root = FileManager.default.currentDirectoryPath
        let args = ["demo", "--events", "3000", "--hours", "2", "--dir", dir.url("demo-archive"), "--db", dir.url("demo.sqlite")]
        let first = try ClickstreamBinary.run(args, in: root)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("Wrote 3,033 files (3,000 distinct events, 30 duplicates, 3 bad lines)"), first.stdout)
        XCTAssertTrue(first.stdout.contains(": 3,000 new distinct, 30 duplicates"), first.stdout)
        XCTAssertTrue(first.stdout.contains("Top pages for a day"), first.stdout)
        XCTAssertTrue(first.stdout.contains("Anomalies for a day"), first.stdout)
        let tables = try Database(path: dir.url("demo.sqlite")).prepare("SELECT sum(event_count) FROM session_metrics").rows()
        XCTAssertEqual(tables, [[.integer(3000)]])

        let second = try ClickstreamBinary.run(args, in: root)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains(": 0 new distinct, 3,030 duplicates"), second.stdout)

        let status = try ClickstreamBinary.run(["status", "--db", dir.url("demo.sqlite")])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("Runs"), status.stdout)
        XCTAssertEqual(status.stdout.components(separatedBy: " demo ").count - 1, 2, status.stdout)
    }
}
