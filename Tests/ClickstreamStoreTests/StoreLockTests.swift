@testable import ClickstreamStore
import ClickstreamTestSupport
import Foundation
import XCTest

/// `StoreLock`: a second writer is told who holds the database; a lock file that cannot be made is its own error.
final class StoreLockTests: XCTestCase {
    func testASecondWriterIsToldWhoHoldsTheDatabase() throws {
        let dir = try TemporaryDirectory()
        let db = dir.url("s.sqlite")
        let first = try StoreLock(databasePath: db, command: "replay file:///a")
        XCTAssertEqual(first.path, db + ".lock")
        XCTAssertThrowsError(try StoreLock(databasePath: db, command: "stream kinesis://s")) { error in
            XCTAssertEqual(error as? StoreLockError, .held(databasePath: db, owner: "pid \(getpid()), replay file:///a"))
            XCTAssertEqual("\(error)", "database \(db) is in use by another clickstream process (pid \(getpid()), replay file:///a); "
                           + "wait for it to finish or stop it")
            XCTAssertTrue((error as? StoreLockError)?.isHeld ?? false)
        }
        // Released with its value: the next writer gets it.
        _ = consume first
        XCTAssertNoThrow(try StoreLock(databasePath: db, command: "stream kinesis://s"))
    }

    func testAMissingFolderIsNotReportedAsInUse() throws {
        let dir = try TemporaryDirectory()
        let db = dir.url("no-such-folder/s.sqlite")
        XCTAssertThrowsError(try StoreLock(databasePath: db, command: "replay")) { error in
            XCTAssertEqual(error as? StoreLockError, .cannotOpen(lockPath: db, errno: ENOENT))
            XCTAssertEqual("\(error)", "cannot create or open the database file \(db) to lock it: No such file or directory")
            XCTAssertFalse((error as? StoreLockError)?.isHeld ?? true)
        }
    }
}
