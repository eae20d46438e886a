import XCTest
final class ClickstreamCoreTestsPlaceholder: XCTestCase { func testNothing() {} }
