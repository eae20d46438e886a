import ClickstreamQueries
import Foundation
import XCTest

final class QueryCatalogTests: XCTestCase {
    var dir: String!
    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "clickstream-catalog-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/queries", withIntermediateDirectories: true)
        try "-- title: A\nSELECT 1".write(toFile: dir + "/queries/a.sql", atomically: true, encoding: .utf8)
        try "-- title: B\nSELECT 2".write(toFile: dir + "/queries/b.sql", atomically: true, encoding: .utf8)
        try "SELECT 3".write(toFile: dir + "/queries/_draft.sql", atomically: true, encoding: .utf8)
        try "notes".write(toFile: dir + "/queries/README.md", atomically: true, encoding: .utf8)
        try "SELECT :x AS x".write(toFile: dir + "/loose.sql", atomically: true, encoding: .utf8)
    }
    override func tearDownWithError() throws { try FileManager.default.removeItem(atPath: dir) }

    func testLocateOrder() {
        XCTAssertEqual(QueryCatalog.locate(explicit: "/x/q", environment: ["CLICKSTREAM_QUERIES": "/y"],
                                           currentDirectory: dir, executablePath: nil).directory, "/x/q")
        XCTAssertEqual(QueryCatalog.locate(environment: ["CLICKSTREAM_QUERIES": "/y"],
                                           currentDirectory: dir, executablePath: nil).directory, "/y")
        XCTAssertEqual(QueryCatalog.locate(environment: [:], currentDirectory: dir, executablePath: nil).directory,
                       dir + "/queries")
        // From the executable's folder upwards (a package root above `.build/debug`).
        XCTAssertEqual(QueryCatalog.locate(environment: [:], currentDirectory: "/", executablePath: dir + "/.build/debug/clickstream").directory,
                       dir + "/queries")
        // Finally the source checkout.
        let resolved = QueryCatalog.locate(environment: [:], currentDirectory: "/", executablePath: nil).directory
        XCTAssertEqual(resolved.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path },
                       URL(fileURLWithPath: QueryFixture.queriesDirectory).resolvingSymlinksInPath().path)
    }

    func testNamesAndLookup() throws {
        let catalog = QueryCatalog(directory: dir + "/queries")
        XCTAssertEqual(try catalog.names(), ["a", "b"])
        XCTAssertEqual(try catalog.query("b").sql, "SELECT 2")
        XCTAssertEqual(try catalog.query("b").path, dir + "/queries/b.sql")
        XCTAssertEqual(try catalog.query(dir + "/loose.sql").name, "loose")
        XCTAssertThrowsError(try catalog.query("c")) { error in
            XCTAssertEqual("\(error)", "No canned query named 'c'; known queries: a, b.")
        }
        XCTAssertThrowsError(try catalog.query(dir + "/missing.sql")) { error in
            XCTAssertEqual("\(error)", "Cannot read query file \(dir!)/missing.sql: no such file.")
        }
    }

    func testWithoutAFolderOnlyPathsWork() throws {
        let catalog = QueryCatalog(directory: nil, searched: ["/a/queries", "/b/queries"])
        XCTAssertEqual(try catalog.query(dir + "/loose.sql").sql, "SELECT :x AS x")
        XCTAssertThrowsError(try catalog.query("top-pages")) { error in
            XCTAssertEqual("\(error)", "No queries folder found (looked in /a/queries, /b/queries); set CLICKSTREAM_QUERIES or pass a path to a .sql file.")
        }
    }
}
