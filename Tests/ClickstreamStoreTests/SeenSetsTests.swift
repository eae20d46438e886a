import ClickstreamCore
@testable import ClickstreamStore
import ClickstreamTestSupport
import XCTest

/// Fingerprint sets: appended per apply, compacted on load, remembered only while valid.
final class SeenSetsTests: XCTestCase {
    func testAppendLoadCompactAndForget() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.url("s.sqlite"))
        for part in 0..<20 {
            try store.transaction { try store.seen.append(hour: 7, [UInt64(part * 2), UInt64(part * 2 + 1)]) }
        }
        XCTAssertEqual(try store.database.scalarInt("SELECT count(*) FROM _seen WHERE hour = 7"), 20)
        // A fresh connection has nothing in memory: it reads the 20 parts and compacts them into one.
        let reopened = try Store(path: dir.url("s.sqlite"))
        XCTAssertEqual(try reopened.seen.load(hour: 7), (0..<40).map { UInt64($0) })
        XCTAssertEqual(try reopened.database.scalarInt("SELECT count(*) FROM _seen WHERE hour = 7"), 1)
        XCTAssertEqual(try reopened.storedHours(), [7])

        // A rolled-back append is not remembered.
        XCTAssertThrowsError(try reopened.transaction {
            try reopened.seen.append(hour: 7, [99])
            XCTAssertEqual(try reopened.seen.load(hour: 7).count, 41)
            throw DatabaseError(code: 1, message: "abort", sql: nil)
        })
        XCTAssertEqual(try reopened.seen.load(hour: 7).count, 40)

        _ = try reopened.transaction { try reopened.forget(hours: 7..<8) }
        XCTAssertEqual(try reopened.seen.load(hour: 7), [])
        XCTAssertEqual(try reopened.storedHours(), [])
    }

    func testOlderSchemaIsRefusedWithAClearMessage() throws {
        let dir = try TemporaryDirectory()
        let path = dir.url("old.sqlite")
        try Database(path: path).execute("CREATE TABLE _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO _meta VALUES ('schema_version', '1')")
        XCTAssertThrowsError(try Store(path: path)) {
            XCTAssertEqual("\($0)", "SQLite error 1: \(path) has schema version 1, this clickstream needs 2: replay into a new database file")
            XCTAssertEqual($0 as? StoreError, .schemaVersion(path: path, found: "1", expected: 2))
        }
    }
}
