import ClickstreamCore
import XCTest

final class WindowPartitionTests: XCTestCase {
    let hour: Int64 = 3_600_000

    func testHoursAreCutIntoContiguousBalancedRanges() throws {
        // 10 hours into 4: 3, 3, 2, 2 — contiguous, covering every hour once.
        let window = (100 * hour)..<(110 * hour)
        let ranges = try (0..<4).map { try WindowPartition(index: $0, count: 4).hourRange(of: window) }
        XCTAssertEqual(ranges, [100..<103, 103..<106, 106..<108, 108..<110])
        XCTAssertEqual(try WindowPartition(index: 0, count: 1).hourRange(of: window), 100..<110)
    }

    func testTheEndsKeepTheWindowsOwnInstants() throws {
        // 05:30 to 09:15 touches hours 5..9 (5 hours); the first part starts at 05:30, the last ends at 09:15.
        let window = (5 * hour + 30 * 60_000)..<(9 * hour + 15 * 60_000)
        XCTAssertEqual(WindowPartition.hours(of: window), 5..<10)
        let parts = try (0..<2).map { try WindowPartition(index: $0, count: 2).window(of: window) }
        XCTAssertEqual(parts, [window.lowerBound..<(8 * hour), (8 * hour)..<window.upperBound])
        XCTAssertThrowsError(try WindowPartition(index: 0, count: 6).check(window: window)) {
            XCTAssertEqual("\($0)", "--partition COUNT 6 is more than the window's 5 whole hours: a partition is at least one hour, use COUNT <= 5")
        }
    }

    func testParsing() throws {
        XCTAssertEqual(try WindowPartition(parsing: "3/8"), try WindowPartition(index: 3, count: 8))
        for (text, message) in [("8/8", "--partition INDEX must be between 0 and 7 for COUNT 8, not 8"),
                                ("1/0", "--partition COUNT must be 1 or more, not 0"),
                                ("3", "--partition must be INDEX/COUNT (like 3/8) or auto, not '3'"),
                                ("-1/4", "--partition INDEX must be between 0 and 3 for COUNT 4, not -1")] {
            XCTAssertThrowsError(try WindowPartition(parsing: text)) { XCTAssertEqual("\($0)", message) }
        }
    }
}
