import XCTest
final class ArchiveSourceTestsPlaceholder: XCTestCase { func testNothing() {} }
