import ClickstreamQueries
import ClickstreamStore
import XCTest

final class QueryRunnerTests: XCTestCase {
    var fixture: QueryFixture!
    override func setUpWithError() throws { fixture = try QueryFixture() }
    override func tearDown() { fixture = nil }

    func testUnknownParameterNamesItAndListsTheKnownOnes() {
        XCTAssertThrowsError(try fixture.run("top-pages", ["day": "2025-07-03", "dy": "x"])) { error in
            XCTAssertEqual("\(error)", "Query 'top-pages' has no parameter 'dy'; its parameters are: day, limit.")
        }
    }

    func testMissingRequiredParameter() {
        XCTAssertThrowsError(try fixture.run("top-pages")) { error in
            XCTAssertEqual("\(error)", "Query 'top-pages' needs --param day=… (YYYY-MM-DD, required).")
        }
    }

    func testParseArguments() throws {
        XCTAssertEqual(try QueryRunner.parseArguments(["day=2025-07-03", "q=a=b", "empty="]),
                       ["day": "2025-07-03", "q": "a=b", "empty": ""])
        XCTAssertThrowsError(try QueryRunner.parseArguments(["day"])) { error in
            XCTAssertEqual("\(error)", "--param expects name=value, got 'day'.")
        }
        XCTAssertThrowsError(try QueryRunner.parseArguments(["=3"])) { error in
            XCTAssertEqual("\(error)", "--param expects name=value, got '=3'.")
        }
        XCTAssertThrowsError(try QueryRunner.parseArguments(["a=1", "a=2"])) { error in
            XCTAssertEqual("\(error)", "--param a is given more than once.")
        }
    }

    func testValuesBindAsIntegersOnlyWhenTheyAreIntegers() {
        XCTAssertEqual(QueryRunner.bindValue("20"), .integer(20))
        XCTAssertEqual(QueryRunner.bindValue("-3"), .integer(-3))
        XCTAssertEqual(QueryRunner.bindValue("2025-07-03"), .text("2025-07-03"))
        XCTAssertEqual(QueryRunner.bindValue("1.5"), .text("1.5"))
        XCTAssertEqual(QueryRunner.bindValue(""), .text(""))
    }

    func testValuesAreBoundNotSpliced() throws {
        let q = try CannedQuery(name: "echo", text: "-- param: s (text, required)\nSELECT count(*) AS n FROM page_metrics WHERE page_url = :s")
        let r = try QueryRunner(database: fixture.database).run(q, arguments: ["s": "x' OR 1=1 --"])
        XCTAssertEqual(r.rows, [[.integer(0)]])
    }

    func testValuesAreCheckedAgainstTheParametersKind() throws {
        XCTAssertThrowsError(try fixture.run("top-pages", ["day": "2025-07-03' OR 1=1 --"])) { error in
            XCTAssertEqual("\(error)", "Query 'top-pages' parameter day: expected a day as YYYY-MM-DD, got \"2025-07-03' OR 1=1 --\".")
        }
        XCTAssertThrowsError(try fixture.run("top-pages", ["day": "2025-07-03", "limit": "fifty"])) { error in
            XCTAssertEqual("\(error)", "Query 'top-pages' parameter limit: expected an integer, got \"fifty\".")
        }
        XCTAssertThrowsError(try fixture.run("events-per-minute", ["hour": "2025-07-03"])) { error in
            XCTAssertEqual("\(error)", "Query 'events-per-minute' parameter hour: expected an hour as YYYY-MM-DDTHH, got \"2025-07-03\".")
        }
    }

    func testOptionalParameterWithoutDefaultIsNullAndUndeclaredOnesAreRequired() throws {
        let q = try CannedQuery(name: "adhoc", text: """
            -- title: Ad hoc
            -- param: a (optional)
            SELECT :a AS a, :b AS b
            """)
        let runner = QueryRunner(database: fixture.database)
        XCTAssertEqual(try runner.run(q, arguments: ["b": "x"]), QueryResult(columns: ["a", "b"], rows: [[.null, .text("x")]]))
        XCTAssertThrowsError(try runner.run(q)) { error in
            XCTAssertEqual("\(error)", "Query 'adhoc' needs --param b=….")
        }
    }

    func testDatabaseErrorNamesTheQuery() throws {
        let q = try CannedQuery(name: "broken", text: "SELECT * FROM nowhere")
        XCTAssertThrowsError(try QueryRunner(database: fixture.database).run(q)) { error in
            XCTAssertEqual("\(error)", "Query 'broken' failed: no such table: nowhere.")
        }
    }

    func testRunsFromAReadOnlyDatabasePath() throws {
        let runner = try QueryRunner(path: fixture.directory + "/test.sqlite")
        let q = try QueryCatalog(directory: QueryFixture.queriesDirectory).query("top-sessions")
        XCTAssertEqual(try runner.run(q, arguments: ["limit": "1"]).rows.first?.first, .text("s1"))
    }
}
