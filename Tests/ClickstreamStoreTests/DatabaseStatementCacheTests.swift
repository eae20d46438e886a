@testable import ClickstreamStore
import ClickstreamTestSupport
import XCTest

/// `Database.cachedStatement`: one prepared statement per SQL text, reused, never handed to two holders at once.
final class DatabaseStatementCacheTests: XCTestCase {
    var dir: TemporaryDirectory!
    var database: Database!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        database = try Database(path: dir.url("cache.sqlite"))
        try database.execute("CREATE TABLE t (x INTEGER NOT NULL, label TEXT)")
    }

    override func tearDown() {
        database = nil
        dir = nil
    }

    func testTheSameStatementIsReturnedForTheSameSQL() throws {
        let sql = "INSERT INTO t (x) VALUES (?)"
        let firstID: ObjectIdentifier
        do {
            let first = try database.cachedStatement(sql)
            firstID = ObjectIdentifier(first)
            try first.bind(1, Int64(1))
            try first.run()
        }
        let again = try database.cachedStatement(sql)
        XCTAssertEqual(ObjectIdentifier(again), firstID)
        XCTAssertFalse(try database.cachedStatement("SELECT x FROM t") === again)
        XCTAssertEqual(database.statementCache.count, 2)
    }

    func testTwoUsesWithDifferentBindingsGiveTheirOwnResults() throws {
        let insert = "INSERT INTO t (x, label) VALUES (?, ?)"
        for (x, label) in [(Int64(1), "one"), (Int64(2), "two"), (Int64(3), "three")] {
            let st = try database.cachedStatement(insert)
            try st.bind(1, x)
            try st.bind(2, label)
            try st.run()
        }
        let select = "SELECT label FROM t WHERE x = ?"
        var labels: [String] = []
        for x in [Int64(2), Int64(3)] {
            let st = try database.cachedStatement(select)
            try st.bind(1, x)
            labels.append(try st.rows().map { $0[0].description }.joined())
        }
        XCTAssertEqual(labels, ["two", "three"])
        // Bindings do not carry over: the statement handed out again has none (unbound parameters are NULL).
        let nullCheck = "SELECT count(*) FROM t WHERE ? IS NULL"
        let boundID: ObjectIdentifier
        do {
            let bound = try database.cachedStatement(nullCheck)
            boundID = ObjectIdentifier(bound)
            try bound.bind(1, Int64(7))
            XCTAssertEqual(try bound.rows(), [[.integer(0)]])
            try bound.bind(1, Int64(7)) // left bound, as a caller that failed half-way would leave it
        }
        let reused = try database.cachedStatement(nullCheck)
        XCTAssertEqual(ObjectIdentifier(reused), boundID)
        XCTAssertEqual(try reused.rows(), [[.integer(3)]])
    }

    func testAStatementStillHeldIsNotHandedOutAgain() throws {
        for x in 1...3 {
            try database.execute("INSERT INTO t (x) VALUES (\(x))")
        }
        let sql = "SELECT x FROM t ORDER BY x"
        let outer = try database.cachedStatement(sql)
        XCTAssertTrue(try outer.step())
        XCTAssertEqual(outer.int(0), 1)
        // Same SQL while `outer` is mid-rows: a separate statement, which does not disturb the outer loop.
        let inner = try database.cachedStatement(sql)
        XCTAssertFalse(inner === outer)
        XCTAssertEqual(try inner.rows(), [[.integer(1)], [.integer(2)], [.integer(3)]])
        var rest: [Int64] = []
        while try outer.step() { rest.append(outer.int(0)) }
        XCTAssertEqual(rest, [2, 3])
        // Bound but not yet stepped counts as held too: its binding survives another request for its SQL.
        let held = try database.cachedStatement("SELECT count(*) FROM t WHERE x >= ?")
        try held.bind(1, Int64(2))
        let other = try database.cachedStatement("SELECT count(*) FROM t WHERE x >= ?")
        XCTAssertFalse(other === held)
        XCTAssertEqual(try held.rows(), [[.integer(2)]])
        // Once the outer holder lets go, the cached statement is the one handed out again.
        let outerID = ObjectIdentifier(outer)
        _ = consume outer
        XCTAssertEqual(ObjectIdentifier(try database.cachedStatement(sql)), outerID)
    }
}
