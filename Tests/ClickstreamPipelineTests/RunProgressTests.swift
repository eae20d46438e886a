@testable import ClickstreamPipeline
import XCTest

/// The arithmetic of the progress line: a fraction of stored bytes, an ETA at the average rate, a clock.
final class RunProgressTests: XCTestCase {
    func testFractionNeedsATotalAndSomethingDone() {
        XCTAssertNil(RunProgress.fraction(done: 10, total: 0))
        XCTAssertNil(RunProgress.fraction(done: 0, total: 100))
        XCTAssertEqual(RunProgress.fraction(done: 25, total: 100), 0.25)
        XCTAssertEqual(RunProgress.fraction(done: 130, total: 100), 1, "never past 100 %")
    }

    func testETAIsTheAverageRateAndQuietAtTheStart() {
        XCTAssertEqual(RunProgress.eta(fraction: 0.25, elapsed: 10), 30)
        XCTAssertNil(RunProgress.eta(fraction: 0.25, elapsed: 1.5), "too early")
        XCTAssertNil(RunProgress.eta(fraction: 0.005, elapsed: 60), "too little done")
        XCTAssertNil(RunProgress.eta(fraction: 1, elapsed: 60), "done")
    }

    func testClock() {
        XCTAssertEqual(RunProgress.clock(0), "0:00")
        XCTAssertEqual(RunProgress.clock(65.4), "1:05")
        XCTAssertEqual(RunProgress.clock(3599), "59:59")
        XCTAssertEqual(RunProgress.clock(3600 + 5 * 60 + 9), "1:05:09")
        XCTAssertEqual(RunProgress.clock(36000 + 42 * 60), "10:42:00")
    }
}
