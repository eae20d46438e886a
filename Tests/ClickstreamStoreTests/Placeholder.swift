import XCTest
final class ClickstreamStoreTestsPlaceholder: XCTestCase { func testNothing() {} }
