import ArchiveLayout
import XCTest

final class PartitionPathTests: XCTestCase {
    // 2025-07-03T05:00:00Z
    let hour5: Int64 = 1_751_518_800_000

    func testHiveUnpadded() throws {
        let partition = try XCTUnwrap(PartitionPath(directory: "year=2025/month=7/day=3/hour=5/"))
        XCTAssertEqual(partition.layout, .hive)
        XCTAssertEqual([partition.year, partition.month, partition.day, partition.hour], [2025, 7, 3, 5])
        XCTAssertTrue(partition.isComplete)
        XCTAssertEqual(partition.hourStart, hour5)
        XCTAssertEqual(partition.timeRange, hour5..<(hour5 + 3_600_000))
        XCTAssertEqual(partition.description, "year=2025/month=7/day=3/hour=5/")
    }

    func testHivePadded() throws {
        let partition = try XCTUnwrap(PartitionPath(directory: "year=2025/month=07/day=03/hour=05"))
        XCTAssertEqual(partition.layout, .hive)
        XCTAssertEqual(partition.hourStart, hour5)
        XCTAssertEqual(partition, PartitionPath(directory: "year=2025/month=7/day=3/hour=5"))
    }

    func testFirehose() throws {
        let partition = try XCTUnwrap(PartitionPath(directory: "2025/07/03/05/"))
        XCTAssertEqual(partition.layout, .firehose)
        XCTAssertEqual(partition.hourStart, hour5)
        XCTAssertEqual(partition.description, "2025/07/03/05/")
        // Firehose always pads: one digit is not a Firehose field, so the partition stops at the year.
        XCTAssertEqual(PartitionPath(directory: "2025/7/3/5")?.description, "2025/")
        XCTAssertNil(PartitionPath(directory: "25/07/03/05"))
        XCTAssertNil(PartitionPath(directory: "02025/07/03/05"))
    }

    func testPartitionBelowOtherFolders() throws {
        XCTAssertEqual(PartitionPath(directory: "events/raw/year=2025/month=7/day=3/hour=5")?.hourStart, hour5)
        XCTAssertEqual(PartitionPath(objectPath: "events/2025/07/03/05/part-0001.json.gz")?.hourStart, hour5)
        XCTAssertNil(PartitionPath(objectPath: "events.json"))
        XCTAssertNil(PartitionPath(directory: "events/raw"))
    }

    func testPartialPrefixesCoverTheirWholeRange() throws {
        let year = try XCTUnwrap(PartitionPath(directory: "year=2025"))
        XCTAssertFalse(year.isComplete)
        XCTAssertNil(year.hourStart)
        XCTAssertEqual(year.timeRange, 1_735_689_600_000..<1_767_225_600_000)

        let month = try XCTUnwrap(PartitionPath(directory: "year=2025/month=7/"))
        XCTAssertEqual(month.timeRange, 1_751_328_000_000..<1_754_006_400_000)

        let day = try XCTUnwrap(PartitionPath(directory: "2025/07/03"))
        XCTAssertEqual(day.timeRange, 1_751_500_800_000..<1_751_587_200_000)

        let december = try XCTUnwrap(PartitionPath(directory: "year=2025/month=12"))
        XCTAssertEqual(december.timeRange.upperBound, 1_767_225_600_000)

        XCTAssertTrue(month.overlaps(from: hour5, to: hour5 + 1))
        XCTAssertFalse(month.overlaps(from: 1_754_006_400_000, to: 1_754_006_400_001))
        XCTAssertTrue(month.overlaps(from: 1_754_006_399_999, to: 1_754_006_400_001))
    }

    func testInvalidValuesAreNotPartitions() {
        // The partition stops before the component that does not parse.
        XCTAssertEqual(PartitionPath(directory: "year=2025/month=13/day=1")?.description, "year=2025/")
        XCTAssertEqual(PartitionPath(directory: "year=2025/month=2/day=29")?.description, "year=2025/month=2/")
        XCTAssertEqual(PartitionPath(directory: "year=2024/month=2/day=29/hour=23")?.hourStart, 1_709_247_600_000)
        XCTAssertEqual(PartitionPath(directory: "year=2025/month=7/day=3/hour=24")?.description, "year=2025/month=7/day=3/")
        XCTAssertEqual(PartitionPath(directory: "year=2025/month=007")?.description, "year=2025/")
        XCTAssertEqual(PartitionPath(directory: "year=2025/day=3")?.description, "year=2025/")
        XCTAssertEqual(PartitionPath(directory: "2025/00/01")?.description, "2025/")
        XCTAssertNil(PartitionPath(directory: "year=25/month=7"))
        XCTAssertNil(PartitionPath(directory: "year=/month=7"))
        XCTAssertNil(PartitionPath(directory: "year=2025x"))
        XCTAssertNil(PartitionPath(directory: "Year=2025"))
        XCTAssertNil(PartitionPath(layout: .hive, year: 2025, day: 3))
        XCTAssertNil(PartitionPath(layout: .firehose, year: 2025, month: 4, day: 31))
    }

    func testCursorSettlesAfterTheHourOrAForeignFolder() {
        var cursor = PartitionCursor()
        for name in ["backup", "year=2025", "month=7", "day=3", "hour=5", "minute=7", "year=2024"] {
            cursor = cursor.descending(into: name)
        }
        XCTAssertEqual(cursor.hourStart, hour5)

        var broken = PartitionCursor()
        for name in ["year=2025", "month=7", "misc", "day=3", "hour=5"] {
            broken = broken.descending(into: name)
        }
        XCTAssertEqual(broken.partition?.description, "year=2025/month=7/")
        XCTAssertNil(broken.hourStart)
        XCTAssertTrue(PartitionCursor().mayHold(from: 0, to: 1))
        XCTAssertFalse(broken.mayHold(from: 0, to: 1))
    }
}
