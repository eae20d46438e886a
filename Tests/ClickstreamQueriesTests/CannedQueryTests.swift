import ClickstreamQueries
import XCTest

final class CannedQueryTests: XCTestCase {
    func testParsesHeaderAndStatement() throws {
        let q = try CannedQuery(name: "q", text: """
            -- title:  Something
            -- description: what it shows
            -- param: day  (YYYY-MM-DD, required)
            -- param: limit (default 20)
            -- param: run (latest, all or a run id; default latest)
            -- param: flag
            -- note: ignored

            SELECT 1
            -- a comment inside the statement stays
            FROM t;

            """)
        XCTAssertEqual(q.title, "Something")
        XCTAssertEqual(q.description, "what it shows")
        XCTAssertEqual(q.parameters, [
            .init(name: "day", note: "YYYY-MM-DD, required", isRequired: true, kind: .day),
            .init(name: "limit", note: "default 20", isRequired: false, defaultValue: "20", kind: .integer),
            .init(name: "run", note: "latest, all or a run id; default latest", isRequired: false, defaultValue: "latest"),
            .init(name: "flag", note: "", isRequired: false),
        ])
        XCTAssertEqual(q.sql, "SELECT 1\n-- a comment inside the statement stays\nFROM t;")
    }

    func testWithoutHeaderTheNameIsTheTitle() throws {
        let q = try CannedQuery(name: "adhoc", text: "SELECT 1\r\n")
        XCTAssertEqual(q, CannedQuery(name: "adhoc", title: "adhoc", description: "", parameters: [], sql: "SELECT 1"))
    }

    func testErrors() {
        XCTAssertThrowsError(try CannedQuery(name: "e", text: "-- title: x\n\n")) { error in
            XCTAssertEqual("\(error)", "Query 'e' has no SQL statement after its header.")
        }
        XCTAssertThrowsError(try CannedQuery(name: "p", text: "-- title: x\n-- param: (required)\nSELECT 1")) { error in
            XCTAssertEqual("\(error)", "Query 'p' header line 2: 'param:' must be followed by a parameter name.")
        }
        XCTAssertThrowsError(try CannedQuery(name: "p", text: "-- param: day required\nSELECT 1")) { error in
            XCTAssertEqual("\(error)", "Query 'p' header line 1: the note of parameter 'day' must be in parentheses.")
        }
        XCTAssertThrowsError(try CannedQuery(name: "p", text: "-- param: day (required, default 1)\nSELECT 1")) { error in
            XCTAssertEqual("\(error)", "Query 'p' header line 1: parameter 'day' cannot be both required and have a default.")
        }
    }
}
