import XCTest
final class ClickstreamEngineTestsPlaceholder: XCTestCase { func testNothing() {} }
