import ClickstreamQueries
import ClickstreamStore
import Foundation
import XCTest

final class ResultFormatterTests: XCTestCase {
    let result = QueryResult(columns: ["page_url", "views", "pct"], rows: [
        [.text("/"), .integer(1234), .real(60.0)],
        [.text("/cart, \"big\""), .integer(5), .null],
        [.text("line\nbreak"), .integer(-7), .real(41.7)],
    ])

    func testTable() {
        XCTAssertEqual(ResultFormatter.format(result, as: .table), """
            page_url      views   pct
            ------------  -----  ----
            /              1234  60.0
            /cart, "big"      5  NULL
            line\\nbreak      -7  41.7
            (3 rows)

            """)
    }

    func testTableEmptyAndSingleRow() {
        XCTAssertEqual(ResultFormatter.table(QueryResult(columns: ["a", "bb"], rows: [])), "a  bb\n-  --\n(0 rows)\n")
        XCTAssertEqual(ResultFormatter.table(QueryResult(columns: ["a", "b"], rows: [[.text("xyz"), .text("q")]])),
                       "a    b\n---  -\nxyz  q\n(1 row)\n")
    }

    func testCSV() {
        XCTAssertEqual(ResultFormatter.format(result, as: .csv),
                       "page_url,views,pct\n/,1234,60.0\n\"/cart, \"\"big\"\"\",5,\n\"line\nbreak\",-7,41.7\n")
    }

    func testJSON() {
        XCTAssertEqual(ResultFormatter.format(result, as: .json), """
            [
              {"page_url": "/", "views": 1234, "pct": 60.0},
              {"page_url": "/cart, \\"big\\"", "views": 5, "pct": null},
              {"page_url": "line\\nbreak", "views": -7, "pct": 41.7}
            ]

            """)
        XCTAssertEqual(ResultFormatter.json(QueryResult(columns: ["a"], rows: [])), "[]\n")
        XCTAssertEqual(ResultFormatter.json(QueryResult(columns: ["a"], rows: [[.text("\u{1}é\t")]])),
                       "[\n  {\"a\": \"\\u0001é\\t\"}\n]\n")
    }

    func testJSONIsParseable() throws {
        let data = Data(ResultFormatter.json(result).utf8)
        let parsed = try JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        XCTAssertEqual(parsed?.count, 3)
        XCTAssertEqual(parsed?[0]["views"] as? Int, 1234)
        XCTAssertTrue(parsed?[1]["pct"] is NSNull)
    }

    func testFormatNames() throws {
        XCTAssertEqual(try OutputFormat(parsing: "JSON"), .json)
        XCTAssertThrowsError(try OutputFormat(parsing: "xml")) { error in
            XCTAssertEqual("\(error)", "Unknown output format 'xml'; use table, csv or json.")
        }
    }
}
