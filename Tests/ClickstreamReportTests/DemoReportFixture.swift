import ClickstreamTestSupport
import Foundation
import XCTest

/// The demo data (`clickstream demo`: 20,000 events over 2025-07-03T05–11Z), made once per test process by the
/// real binary, and its report (`clickstream report`) for the demo's window.
final class DemoReportFixture: Sendable {
    static let shared = Result { try DemoReportFixture() }

    let directory: TemporaryDirectory
    let database: String
    let report: String
    let reportOutput: ClickstreamBinary.Result
    static let from = "2025-07-03T05:00:00Z"
    static let to = "2025-07-03T11:00:00Z"
    static let day = "2025-07-03"

    private init() throws {
        directory = try TemporaryDirectory(prefix: "report-demo")
        database = directory.url("demo.sqlite")
        report = directory.url("out/report.html")
        let demo = try ClickstreamBinary.run(["demo", "--dir", directory.url("archive"), "--db", database], in: directory.path)
        guard demo.status == 0 else { throw NSError(domain: "demo", code: Int(demo.status), userInfo: [NSLocalizedDescriptionKey: demo.stderr]) }
        reportOutput = try ClickstreamBinary.run(["report", "--from", Self.from, "--to", Self.to, "--db", database, "--out", report],
                                                 in: directory.path)
    }

    static func get() throws -> DemoReportFixture { try shared.get() }

    func html() throws -> String { try String(contentsOfFile: report, encoding: .utf8) }
}
